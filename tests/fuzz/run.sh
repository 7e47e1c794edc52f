#!/bin/sh
# run.sh BINARY NAME SECONDS -- runs one libFuzzer target for a bounded time
# on a corpus seeded from the tests and queries/; exits non-zero on any
# finding (crash, leak, timeout, out-of-memory), leaving the reproducer file.
bin=$1; name=$2; secs=$3
corpus=tests/fuzz/corpus-$name
mkdir -p "$corpus"
seed=$(mktemp -d)
if [ -d "tests/fuzz/seeds/$name" ]; then cp tests/fuzz/seeds/"$name"/* "$seed/"; fi
[ "$name" = jsonl ] || [ "$name" = scanner ] || [ "$name" = stream ] || for f in queries/*.kql; do cp "$f" "$seed/"; done
if [ "$name" != jsonl ] && [ "$name" != scanner ] && [ "$name" != stream ]; then
  for cases in tests/errors/*.txt; do sh tools/split_cases.sh "$cases" "$seed/$(basename "$cases" .txt)"; done
  i=0; while IFS= read -r q; do i=$((i + 1)); printf '%s\n' "$q" > "$seed/col$i.kql"; done < tests/golden/columns.kql
  awk -v dir="$seed" '/^\?/ { n++; f = sprintf("%s/sem%03d.kql", dir, n); sub(/^\? ?/, ""); print > f; close(f) }' tests/golden/semantics*.txt
fi
find "$seed" -type f | while read -r f; do cp "$f" "$corpus/seed-$(echo "$f" | tr / _)"; done
rm -rf "$seed"
dict=""
[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
log=$(mktemp)
# Undefined behaviour is a finding too: without this UBSan reports and goes on.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS
# Earlier findings first: each must now pass.
for r in tests/fuzz/regress/"$name"-*; do
  [ -f "$r" ] || continue
  "$bin" "$r" > "$log" 2>&1 || { echo "fuzz $name: regression $r fails again"; tail -30 "$log"; exit 1; }
done
echo "fuzz $name: ${secs}s"
# the query target takes long queries (flat chains as long as the text allows)
max_len=4096
[ "$name" = query ] && max_len=65536
"$bin" $dict -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
  -print_final_stats=1 "$corpus" > "$log" 2>&1
rc=$?
grep -E 'stat::number_of_executed_units|stat::peak_rss|^==[0-9]+==ERROR|SUMMARY|^Done' "$log"
[ "$rc" -eq 0 ] || { echo "fuzz $name: FINDING (exit $rc)"; tail -40 "$log"; }
rm -f "$log"
exit "$rc"
