#!/bin/sh
# valgrind.sh AIQ -- runs the golden semantics queries and the saved queries
# under valgrind (memcheck, definite leaks are errors). Prints
# "valgrind: N passed, N failed".
AIQ=$1
cd "$(dirname "$0")/.." || exit 2
command -v valgrind >/dev/null || { echo "valgrind: not installed"; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
export AIQ_PCRE2_NO_JIT=1 # memcheck cannot follow PCRE2's JIT-generated code
vg() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$@"; }
awk -v dir="$T" '/^\?/ { n++; f = sprintf("%s/%03d.kql", dir, n); sub(/^\? ?/, ""); print > f; close(f) }' tests/golden/semantics.txt
for q in "$T"/*.kql queries/*.kql; do
  vg "$AIQ" --now 2026-01-01T00:00:00Z -d testdata -o ndjson -f "$q" > /dev/null 2> "$T/err"
  if [ $? -eq 99 ]; then fail=$((fail + 1)); echo "FAIL: $q"; head -20 "$T/err"; else pass=$((pass + 1)); fi
done
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
