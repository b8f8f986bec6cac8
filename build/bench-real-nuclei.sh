#!/usr/bin/env bash
# Scripted benchmark: N CoreDevices (default 20), each a real nucleus process in a pod on its own simulated edge node
# of the embedded cluster, one Deployment of four shell components (HelloWorld and the chain WebApp -> Cache ->
# Database from e2e/fixtures/demo). Prints the time from `kubectl apply` until every device is Ready (every
# component RUNNING), and the resident memory of the operator and of the nuclei.
#   build/bench-real-nuclei.sh [DEVICES]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
devices=${1:-20}
work=$(mktemp -d /tmp/gg-bench-XXXX)
chmod 755 "$work" # components run as the pod user (uid 1000) and must reach their work folders
config=${CONFIG:-Release}
bin_op=$repo/operator/Greengrass.Operator/bin/$config/net10.0/greengrass.dll
bin_nuc=$repo/nucleus-sidecar/Greengrass.Nucleus/bin/$config/net10.0/greengrass-nucleus.dll
bin_cluster=$repo/e2e/Greengrass.EdgeCluster/bin/$config/net10.0/greengrass-edgecluster.dll
export KUBECONFIG=$work/kubeconfig
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

echo "{ \"greengrass-nucleus:dev\": [\"dotnet\", \"$bin_nuc\"] }" > "$work/image-map.json"
{
  echo "["
  for i in $(seq 1 "$devices"); do
    sep=$([ "$i" -lt "$devices" ] && echo "," || echo "")
    echo "{ \"name\": \"edge-node-$i\", \"labels\": { \"kubernetes.io/os\": \"linux\", \"kubernetes.io/arch\": \"amd64\" } }$sep"
  done
  echo "]"
} > "$work/nodes.json"
dotnet "$bin_cluster" up --kubeconfig "$KUBECONFIG" --node-config "$work/nodes.json" --kubelet process \
  --image-map "$work/image-map.json" --work-dir "$work/nodes" > "$work/cluster.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do kubectl version >/dev/null 2>&1 && break; sleep 0.5; done
kubectl apply -f crds/ >/dev/null
dotnet "$bin_op" operator run --kubeconfig "$KUBECONFIG" --leader-election false --metrics-port 0 --health-port 0 --discovery-port 0 \
  --nucleus-image greengrass-nucleus:dev > "$work/operator.log" 2>&1 &
op=$!
pids+=($op)

kubectl create namespace bench >/dev/null
dotnet "$bin_op" recipe import --namespace bench e2e/fixtures/demo/recipes/com.example.{HelloWorld,Database,Cache,WebApp}.yaml > "$work/components.yaml"
{
  for i in $(seq 1 "$devices"); do
    cat <<YAML
---
apiVersion: greengrass.edge.dev/v1alpha1
kind: CoreDevice
metadata: { name: core-$i, namespace: bench, labels: { fleet: bench } }
spec: { thingName: BenchCore$i, placement: { nodeName: edge-node-$i } }
YAML
  done
  cat <<'YAML'
---
apiVersion: greengrass.edge.dev/v1alpha1
kind: Deployment
metadata: { name: bench, namespace: bench }
spec:
  coreDeviceSelector: { matchLabels: { fleet: bench } }
  components:
    com.example.HelloWorld: { version: 1.0.0 }
    com.example.WebApp: { version: 1.0.0 }
YAML
} > "$work/fleet.yaml"

start=$(date +%s%N)
kubectl apply -f "$work/components.yaml" -f "$work/fleet.yaml" >/dev/null
while true; do
  ready=$(kubectl get ggcore -n bench -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True || true)
  [ "$ready" -ge "$devices" ] && break
  if (( ($(date +%s%N) - start) / 1000000000 > 600 )); then echo "not converged after 600 s ($ready/$devices ready)" >&2; exit 1; fi
  sleep 0.5
done
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
op_rss=$(( $(rss_kb "$op") / 1024 ))
nuclei=$(pgrep -f "greengrass-nucleus.dll kubernetes" || true)
total=0; count=0; max=0
for p in $nuclei; do r=$(rss_kb "$p"); total=$((total + r)); count=$((count + 1)); [ "$r" -gt "$max" ] && max=$r; done
echo
echo "| core devices (real nuclei) | components per device | apply → all Ready | operator RSS | nucleus RSS mean / max |"
echo "|---|---|---|---|---|"
printf '| %d | 4 | %d.%01d s | %d MB | %d MB / %d MB |\n' "$devices" "$((elapsed_ms / 1000))" "$((elapsed_ms % 1000 / 100))" "$op_rss" "$((total / (count > 0 ? count : 1) / 1024))" "$((max / 1024))"
