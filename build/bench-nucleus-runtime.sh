#!/usr/bin/env bash
# Nucleus runtime benchmark: publishes greengrass-nucleus (framework-dependent, trimmed, Native AOT), then for each
# build starts `greengrass-nucleus run` with a plan of 10 `sleep` components, measures the time from process start
# until the CLI reports all 10 RUNNING, and the nucleus RSS once they run. Prints a Markdown table.
#   build/bench-nucleus-runtime.sh [runs-per-variant] [variants...]   (default: 3 runs; fdd trimmed aot)
#   variants: fdd r2r trimmed trimmed-nojson aot aot-nojson
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"; shift || true
variants=("${@:-fdd trimmed aot}")
read -r -a variants <<< "${variants[*]}"
work="$(mktemp -d /tmp/ggbench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
project=nucleus-sidecar/Greengrass.Nucleus/Greengrass.Nucleus.csproj

publish() {
  local name="$1"; shift
  if dotnet publish "$project" -c Release -o "$work/$name" -p:TreatWarningsAsErrors=false "$@" > "$work/$name.publish.log" 2>&1; then
    local warnings; warnings=$(grep -Eo 'warning IL[0-9]+' "$work/$name.publish.log" | sort -u | wc -l)
    echo "published $name ($(du -sh "$work/$name" | cut -f1), distinct IL trim/AOT warnings: $warnings)" >&2
  else
    echo "publish $name FAILED: $(grep -E 'error' "$work/$name.publish.log" | sort -u | head -3)" >&2
    return 1
  fi
}

python3 - "$work/plan.json" <<'PY'
import json, sys, datetime
components = [{"name": f"bench.Sleep{i:02d}", "version": "1.0.0",
               "lifecycle": {"run": {"script": "exec sleep 600"}}} for i in range(10)]
plan = {"schemaVersion": 1, "thingName": "bench", "deploymentId": "bench", "revision": 1,
        "creationTimestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "groupId": "thing/bench", "components": components}
json.dump(plan, open(sys.argv[1], "w"))
PY

measure() {
  local exe="$1"
  python3 - "$exe" "$work" "$runs" <<'PY'
import json, os, signal, socket, subprocess, sys, time, shutil
exe, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
user = ["--default-user", "root"] if os.geteuid() == 0 else []
def ask(sock_path, command):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path); s.sendall((json.dumps({"command": command}) + "\n").encode())
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    s.close(); return json.loads(data)
def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1])
times, rss = [], []
for _ in range(runs):
    root = os.path.join(work, "root"); shutil.rmtree(root, ignore_errors=True)
    t0 = time.monotonic()
    p = subprocess.Popen([exe, "run", "--root", root, "--thing-name", "bench", "--plan", os.path.join(work, "plan.json"), "--log-level", "Warning", *user],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = os.path.join(root, "cli.socket")
    deadline = time.monotonic() + 60
    while True:
        if time.monotonic() > deadline or p.poll() is not None:
            p.kill(); p.wait()
            print("did not reach 10 RUNNING within 60 s | – | – | –"); sys.exit(0)
        try:
            comps = ask(sock, "component.list")["result"]
            if len(comps) == 10 and all(c["state"] == "RUNNING" for c in comps): break
        except (FileNotFoundError, ConnectionRefusedError, json.JSONDecodeError, KeyError):
            pass
        time.sleep(0.005)
    times.append((time.monotonic() - t0) * 1000)
    time.sleep(2)  # let start-up garbage settle before reading RSS
    rss.append(rss_kb(p.pid) / 1024)
    p.send_signal(signal.SIGTERM); p.wait(timeout=60)
med = lambda xs: sorted(xs)[len(xs) // 2]
print(f"{med(times):.0f} | {min(times):.0f}–{max(times):.0f} | {med(rss):.1f} | {min(rss):.1f}–{max(rss):.1f}")
PY
}

echo "| build | start → 10 RUNNING, median ms | range ms | RSS with 10 running, median MB | range MB |"
echo "|---|---|---|---|---|"
for v in "${variants[@]}"; do
  case "$v" in
    fdd) publish fdd && echo "| framework-dependent | $(measure "$work/fdd/greengrass-nucleus") |" ;;
    # The project keeps reflection-based System.Text.Json on (JsonSerializerIsReflectionEnabledByDefault) for trimmed
    # and AOT publishes; `*-nojson` variants turn it off again to show why.
    trimmed) publish trimmed -r linux-x64 --self-contained -p:PublishTrimmed=true \
      && echo "| self-contained, PublishTrimmed | $(measure "$work/trimmed/greengrass-nucleus") |" ;;
    trimmed-nojson) publish trimmed-nojson -r linux-x64 --self-contained -p:PublishTrimmed=true -p:JsonSerializerIsReflectionEnabledByDefault=false \
      && echo "| self-contained, PublishTrimmed, reflection JSON off | $(measure "$work/trimmed-nojson/greengrass-nucleus") |" ;;
    r2r) publish r2r -r linux-x64 --no-self-contained -p:PublishReadyToRun=true && echo "| framework-dependent, ReadyToRun | $(measure "$work/r2r/greengrass-nucleus") |" ;;
    aot-nojson) publish aot-nojson -r linux-x64 -p:PublishAot=true -p:JsonSerializerIsReflectionEnabledByDefault=false \
      && echo "| Native AOT, reflection JSON off | $(measure "$work/aot-nojson/greengrass-nucleus") |" ;;
    aot) publish aot -r linux-x64 -p:PublishAot=true && echo "| Native AOT | $(measure "$work/aot/greengrass-nucleus") |" ;;
  esac
done
