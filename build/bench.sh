#!/usr/bin/env bash
# Runs every benchmark project. Results are copied into docs/benchmarks.md by hand, with the command.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for proj in */benchmarks/*/*.csproj; do
  echo "== $proj"
  dotnet run -c Release --project "$proj" -- --filter '*' "$@"
done
