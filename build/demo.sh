#!/usr/bin/env bash
# make demo: the embedded edge cluster (two edge nodes), the operator, and a nucleus pod per core device
# running real Greengrass recipes imported as Component resources. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
demo=$repo/.demo
config=${CONFIG:-Release}
bin_op=$repo/operator/Greengrass.Operator/bin/$config/net10.0/greengrass.dll
bin_nuc=$repo/nucleus-sidecar/Greengrass.Nucleus/bin/$config/net10.0/greengrass-nucleus.dll
bin_cluster=$repo/e2e/Greengrass.EdgeCluster/bin/$config/net10.0/greengrass-edgecluster.dll
export KUBECONFIG=$demo/kubeconfig
pids=()

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
stop() {
  say "stopping"
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped; logs are in $demo/*.log"
}
trap stop EXIT
trap 'exit 130' INT TERM

rm -rf "$demo" && mkdir -p "$demo/recipes"
cat > "$demo/image-map.json" <<JSON
{ "greengrass-nucleus:dev": ["dotnet", "$bin_nuc"] }
JSON
cat > "$demo/nodes.json" <<'JSON'
[
  { "name": "edge-node-1", "labels": { "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "site": "north" } },
  { "name": "edge-node-2", "labels": { "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "site": "south" } }
]
JSON

say "starting the embedded edge cluster (2 edge nodes)"
dotnet "$bin_cluster" up --kubeconfig "$KUBECONFIG" --node-config "$demo/nodes.json" --kubelet process \
  --image-map "$demo/image-map.json" --work-dir "$demo/nodes" > "$demo/cluster.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do kubectl version >/dev/null 2>&1 && break; sleep 0.5; done
kubectl get nodes -o wide

say "applying the CRDs"
kubectl apply -f crds/ >/dev/null
kubectl get crds

say "starting the operator"
dotnet "$bin_op" operator run --kubeconfig "$KUBECONFIG" --leader-election false --metrics-port "${DEMO_METRICS_PORT:-18080}" --health-port "${DEMO_HEALTH_PORT:-18081}" \
  --discovery-port "${DEMO_DISCOVERY_PORT:-18443}" \
  --nucleus-image greengrass-nucleus:dev --heartbeat 60 > "$demo/operator.log" 2>&1 &
pids+=($!)

say "importing the sample Greengrass recipes as Component resources"
for recipe in e2e/fixtures/demo/recipes/*.yaml; do
  sed "s|@REPO@|$repo|g" "$recipe" > "$demo/recipes/$(basename "$recipe")"
done
kubectl apply -f e2e/fixtures/demo/namespace.yaml
dotnet "$bin_op" recipe import --namespace greengrass-demo "$demo"/recipes/*.yaml > "$demo/components.yaml"
kubectl apply -f "$demo/components.yaml"
kubectl apply -f e2e/fixtures/demo/devices.yaml -f e2e/fixtures/demo/deployment.yaml

say "waiting until every component runs (Ctrl-C to stop)"
deadline=$((SECONDS + ${DEMO_TIMEOUT:-300}))
while true; do
  for log in cluster operator; do
    pid=${pids[$([ $log = cluster ] && echo 0 || echo 1)]}
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the $log stopped unexpectedly; the end of $demo/$log.log:" >&2
      tail -n 20 "$demo/$log.log" >&2
      exit 1
    fi
  done
  # A failed poll is shown and retried: under set -e it would otherwise end the demo without a word.
  if rows=$(kubectl get ggcore -n greengrass-demo --no-headers 2>&1); then
    sed 's/^/  /' <<<"$rows"
  else
    echo "  kubectl get ggcore failed, retrying: $rows" >&2
  fi
  ready=$(kubectl get ggcore -n greengrass-demo -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c True || true)
  [ "$ready" = 2 ] && break
  if [ $SECONDS -gt $deadline ]; then
    echo "not every component is running after ${DEMO_TIMEOUT:-300} s; see $demo/operator.log and kubectl describe ggcore -n greengrass-demo" >&2
    exit 1
  fi
  sleep 3
done

say "kubectl get greengrass -A"
kubectl get greengrass -A
say "kubectl get pods -n greengrass-demo -o wide"
kubectl get pods -n greengrass-demo -o wide
say "what the components say (nucleus logs of edge-a)"
logs_a=$demo/nodes/edge-node-1/host/var/lib/greengrass/greengrass-demo/edge-a/logs
for c in HelloWorld WebApp Cache Database; do
  f=$logs_a/com.example.$c.log
  if [ -f "$f" ]; then echo "--- $(basename "$f")"; tail -n 3 "$f"; fi
done
echo "(the Publisher and Subscriber start exchanging readings a few seconds later: tail -f $logs_a/com.example.Subscriber.log)"

cat <<TXT

The cluster keeps running. In another shell:
  export KUBECONFIG=$KUBECONFIG
  kubectl get greengrass -A
  kubectl describe ggcore edge-a -n greengrass-demo
  curl -s localhost:${DEMO_METRICS_PORT:-18080}/metrics | grep greengrass_
Press Ctrl-C to stop everything.
TXT
if [ "${DEMO_EXIT:-}" = 1 ]; then exit 0; fi
while true; do sleep 3600; done
