#!/bin/sh
# bench_scale.sh AIQ DATA SCHEMA DUCKDIR -- make bench's scaling curve (issue
# 18.5): count and p95 by bin over the same rows at 10 MB, 100 MB, the bench
# file, 3x and 12x it (copies end to end; about 5 GB at the default size),
# with a declared schema at one and all cores, each beside DuckDB's time on
# the same file in the same run (DUCKDIR: where bench.sh installed
# @duckdb/node-api; empty: none). Prints MB/s per size: a straight line means
# time linear in size. The files are made once under build/bench.
aiq=$1 data=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") schema=$3 duckdir=$4
dir=$(dirname "$data")
cores=$(nproc)
Q3='R | summarize P95 = percentile(DurationMs, 95) by bin(TimeGenerated, 15m), AppRoleName'
bytes=$(wc -c < "$data")
rows=$(wc -l < "$data")
files=""
for mb in 10 100; do # the first rows, cut at a line end
  f=$dir/scale-${mb}mb.jsonl
  [ -f "$f" ] || head -n $((rows * mb * 1048576 / bytes)) "$data" > "$f"
  files="$files $f"
done
files="$files $data"
for n in 3 12; do
  f=$dir/scale-x$n.jsonl
  if [ ! -f "$f" ]; then
    i=0; : > "$f"
    while [ $i -lt $n ]; do cat "$data" >> "$f"; i=$((i + 1)); done
  fi
  files="$files $f"
done
printf '\nscaling (declared schema, best of three; ratio = aiq -j%s / DuckDB 2 threads)\n' "$cores"
printf '%-12s %7s   %-10s %9s %9s %8s %9s %7s\n' size MB query 'aiq -j1' "aiq -j$cores" 'MB/s' 'duckdb' ratio
for f in $files; do
  mb=$(( $(wc -c < "$f") / 1048576 ))
  d=""
  [ -n "$duckdir" ] && d=$(cd "$duckdir" && BENCH_RUNS=3 node bench_duckdb.mjs "$f" /dev/null 2 count,p95_by_bin 2>/dev/null)
  for q in count p95_by_bin; do
    text='R | count'; [ $q = p95_by_bin ] && text=$Q3
    t1=$(python3 tools/bench_time.py 3 "$dir/err" "$aiq" -j 1 --schema "$schema" -t R="$f" -o csv -q "$text")
    tn=$(python3 tools/bench_time.py 3 "$dir/err" "$aiq" -j "$cores" --schema "$schema" -t R="$f" -o csv -q "$text")
    ds=$(printf '%s\n' "$d" | awk -v n=$q '$1 == n { print $2 }')
    ratio=-; [ -n "$ds" ] && ratio=$(echo "scale=2; $tn / $ds" | bc)
    printf '%-12s %7d   %-10s %8.3f s %8.3f s %8.0f %8s s %7s\n' "$(basename "$f" .jsonl)" "$mb" $q "$t1" "$tn" \
      "$(echo "$mb / $tn" | bc -l)" "${ds:--}" "$ratio"
  done
done
