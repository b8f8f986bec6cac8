#!/usr/bin/env bash
# Sums the TRX files of one `dotnet test` run into the closing line
#   Tests: N passed, N failed, N skipped
# and exits non-zero when any test failed or no result file was written.
set -euo pipefail
dir=${1:?usage: test-summary.sh RESULTS_DIR}
shopt -s nullglob globstar
files=("$dir"/**/*.trx)
if [ ${#files[@]} -eq 0 ]; then
  echo "no test results under $dir" >&2
  echo "Tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
passed=0; failed=0; skipped=0
for f in "${files[@]}"; do
  line=$(grep -o '<Counters [^>]*>' "$f" | head -n1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$line"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  # xunit reports a skipped test as not executed: total - executed.
  skipped=$((skipped + $(get total) - $(get executed)))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
