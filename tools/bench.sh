#!/bin/sh
# bench.sh AIQ -- make bench: throughput of aiq against DuckDB (npm
# @duckdb/node-api, read_json) and jq on the same AppRequests-shaped JSON
# lines, measured in the same run. BENCH_ROWS (default 1000000, ~450 MB)
# sets the size. Prints seconds (best of BENCH_RUNS runs, default 5, for both
# tools: on a shared machine three left rows off by a third), MB/s
# and aiq/DuckDB ratios; asserts nothing. Rows marked no_schema run without
# a declared schema and without aiq's schema cache (types found by a first
# pass, as on a first run); *_schema_cached rows run with the cache warm
# (a later run over the same files); gz and files rows compare against
# `gzip -dc` and one file of the same size.
aiq=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
rows=${BENCH_ROWS:-1000000}
dir=build/bench
mkdir -p "$dir"
data=$dir/requests-$rows.jsonl
roles=$dir/requests-$rows.roles.jsonl
if [ ! -f "$data" ]; then
  echo "bench: generating $rows rows..."
  python3 tools/bench_gen.py "$rows" "$data" || exit 2
fi
[ -f "$data.zst" ] || zstd -q -3 -k "$data" -o "$data.zst"
[ -f "$data.gz" ] || gzip -1 -k -c "$data" > "$data.gz"
many=$dir/many-$rows
if [ ! -d "$many/R" ]; then # 1,000 hourly-archive-sized files of the same rows
  mkdir -p "$many/R" && (cd "$many/R" && split -n l/1000 -a 4 -d "../../$(basename "$data")" part- && for f in part-*; do mv "$f" "$f.jsonl"; done)
fi
gz8=$dir/gz8-$rows
if [ ! -d "$gz8/R" ]; then # the same rows in 8 .gz files: one per thread could decode them
  mkdir -p "$gz8/R" && (cd "$gz8/R" && split -n l/8 -a 1 -d "../../$(basename "$data")" part- && for f in part-*; do gzip -1 "$f" && mv "$f.gz" "$f.jsonl.gz"; done)
fi
mb=$(du -m "$data" | cut -f1)
echo "bench: $data ($mb MB, $rows rows), $(nproc) cores"
duck=""
if command -v node >/dev/null && command -v npm >/dev/null; then
  [ -d "$dir/node_modules/@duckdb/node-api" ] || (cd "$dir" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1)
  if [ -d "$dir/node_modules/@duckdb/node-api" ]; then
    cp tools/bench_duckdb.mjs "$dir/"
    duck=$(cd "$dir" && node bench_duckdb.mjs "$(pwd)/$(basename "$data")" "$(pwd)/$(basename "$roles")" 2 2>&1)
  fi
fi
schema=$dir/schema.kql
printf '.create table R (TimeGenerated:datetime, Id:string, Name:string, DurationMs:real, ResultCode:string, Success:bool, AppRoleName:string, AppRoleInstance:string, OperationId:string, ClientIP:string, ItemCount:long, Properties:dynamic)\n.create table Roles (AppRoleName:string, Team:string)\n' > "$schema"
runs=${BENCH_RUNS:-5}
export BENCH_RUNS=$runs
timed() { # best of $runs aiq runs, seconds; peak RSS of one more run in $dir/rss: threads schema-option file query
  # shellcheck disable=SC2086
  python3 tools/bench_time.py "$runs" "$dir/err" "$aiq" -j "$1" $2 -t R="$3" -t Roles="$roles" --now 2026-11-21T12:00:00Z -o csv -q "$4" ||
    { echo "aiq failed: $(tail -2 "$dir/err")" >&2; echo 0; return; }
  # shellcheck disable=SC2086
  /usr/bin/time -f '%M' -o "$dir/rss" "$aiq" -j "$1" $2 -t R="$3" -t Roles="$roles" --now 2026-11-21T12:00:00Z -o csv -q "$4" > /dev/null 2>&1
}
cores=$(nproc)
duck_ratios() { # DuckDB's name for the query, one-thread and N-thread seconds: sets ds, r1 and rn ('-' without DuckDB)
  ds=$(printf '%s\n' "$duck" | awk -v n="$1" '$1 == n { print $2 }')
  r1=-; rn=-
  [ -n "$ds" ] && r1=$(echo "scale=2; $2 / $ds" | bc) && rn=$(echo "scale=2; $3 / $ds" | bc)
}
run() { # name query [file] [schema option] [DuckDB's name for the query]
  f=${3:-$data}
  opt=${4---schema $schema}
  secs=$(timed 1 "$opt" "$f" "$2")
  rss=$(( $(cat "$dir/rss") / 1024 ))
  par=$(timed "$cores" "$opt" "$f" "$2")
  duck_ratios "${5:-$1}" "$secs" "$par"
  # take 10 reads a few KB: a throughput over the whole file would mean nothing
  tp=-; [ "$1" = take10 ] || tp=$(printf '%.0f' "$(echo "$mb / $secs" | bc -l)")
  printf '%-26s %7.3f s %7s MB/s %5d MB   %7.3f s   %7s s   %6s %6s\n' "$1" "$secs" "$tp" "$rss" "$par" "${ds:--}" "$r1" "$rn"
}
printf '%-26s %9s %12s %8s   %9s   %9s   %6s %6s\n' query 'aiq -j1' throughput RSS "-j$cores" 'duckdb 2T' 'j1/dd' "j$cores/dd"
run count 'R | count'
run filter_count 'R | where ResultCode == "429" | count'
# The floor (tools/bench_floor.c): the file mapped and every byte read once
# at the same thread counts, counting newlines and validating nothing. No
# reader of JSON lines can count them faster; a ratio to DuckDB below this
# row's is out of reach on this machine.
floor=$dir/bench_floor
if cc -O2 -pthread -o "$floor" tools/bench_floor.c 2>"$dir/err"; then
  f1=$(python3 tools/bench_time.py "$runs" "$dir/err" "$floor" "$data" 1)
  fn=$(python3 tools/bench_time.py "$runs" "$dir/err" "$floor" "$data" "$cores")
  duck_ratios count "$f1" "$fn"
  lines=$("$floor" "$data" 1)
  [ "$lines" = "$rows" ] || echo "bench: floor counted $lines lines, not $rows" >&2
  printf '%-26s %7.3f s %7.0f MB/s %5s      %7.3f s   %7s s   %6s %6s   (no JSON: the least a count could take)\n' \
    floor_read_every_byte "$f1" "$(echo "$mb / $f1" | bc -l)" - "$fn" "${ds:--}" "$r1" "$rn"
else
  echo "bench: tools/bench_floor.c did not build, no floor row: $(head -3 "$dir/err")" >&2
fi
run properties_filter 'R | where tostring(Properties.deployment) == "gpt-4o" | count'
run top10 'R | top 10 by DurationMs'
run tokens_extend 'R | extend t = tolong(Properties["tokens.total"]) | summarize sum(t)'
run take10 'R | take 10'
run count_zst 'R | count' "$data.zst"
# without a schema: a first run (no cache: XDG_CACHE_HOME cannot be made), then
# a later run over the same unchanged file (the cache warm)
export XDG_CACHE_HOME=/dev/null/no-cache
Q2='R | where ResultCode == "429" | count'
Q3='R | summarize P95 = percentile(DurationMs, 95) by bin(TimeGenerated, 15m), AppRoleName'
Q4='R | extend TokensUsed = tolong(Properties["tokens.total"]), Deployment = tostring(Properties["deployment"]) | summarize sum(TokensUsed) by Deployment'
Q5='R | where DurationMs > 1000 | project TimeGenerated, AppRoleName, DurationMs, ResultCode | top 10 by DurationMs'
run count_no_schema 'R | count' "$data" "" count
run filter_count_no_schema "$Q2" "$data" "" filter_count
run p95_by_bin_no_schema "$Q3" "$data" "" p95_by_bin
run token_sum_no_schema "$Q4" "$data" "" token_sum
run top10_no_schema "$Q5" "$data" "" top10_filtered
export XDG_CACHE_HOME="$(pwd)/$dir/cache"
"$aiq" -t R="$data" -q 'R | take 1' > /dev/null 2>&1 # (fills the cache)
run count_schema_cached 'R | count' "$data" "" count
run filter_count_schema_cached "$Q2" "$data" "" filter_count
run p95_by_bin_schema_cached "$Q3" "$data" "" p95_by_bin
run token_sum_schema_cached "$Q4" "$data" "" token_sum
run top10_schema_cached "$Q5" "$data" "" top10_filtered
run sort_take10 'R | sort by DurationMs desc | take 10' "$data" "--schema $schema" top10
run count_gz 'R | count' "$data.gz"
run count_8_gz_files 'R | count' "$gz8/R"
run count_1000_files 'R | count' "$many/R"
run filter_count_1000_files "$Q2" "$many/R"
start=$(date +%s.%N); gzip -dc "$data.gz" > /dev/null; end=$(date +%s.%N)
printf '%-26s %8.3f s (gzip -dc > /dev/null, for count_gz)\n' gzip_dc "$(echo "$end - $start" | bc)"
run seed1_p95_by_bucket 'R | where DurationMs > 2000 | summarize Count = count(), Avg = avg(DurationMs), P95 = percentile(DurationMs, 95), P99 = percentile(DurationMs, 99) by bin(TimeGenerated, 15m), AppRoleName'
run seed6_percentiles 'R | summarize P50 = percentile(DurationMs, 50), P75 = percentile(DurationMs, 75), P90 = percentile(DurationMs, 90), P95 = percentile(DurationMs, 95), P99 = percentile(DurationMs, 99), Max = max(DurationMs), Count = count() by AppRoleName'
run token_sum_by_deployment 'R | extend TokensUsed = tolong(Properties["tokens.total"]), Deployment = tostring(Properties["deployment"]) | where isnotempty(TokensUsed) | summarize TotalTokens = sum(TokensUsed) by Deployment, AppRoleName | order by TotalTokens desc'
run join_1m_1k 'R | join kind=inner Roles on AppRoleName | count'
run groups_10k 'R | summarize n = count(), a = avg(DurationMs), p = percentile(DurationMs, 95) by g = tolong(DurationMs * 1000) % 10000 | count'
run percentile_all 'R | summarize percentile(DurationMs, 95), percentile(DurationMs, 50)'
if command -v jq >/dev/null; then
  start=$(date +%s.%N); jq -c 'select(.ResultCode == "429")' "$data" | wc -l > /dev/null; end=$(date +%s.%N)
  printf '%-26s %8.2f s (jq, filter_count)\n' jq_filter_count "$(echo "$end - $start" | bc)"
fi
# The REPL (issue 16): its first query against the command line's, the same
# query again from its column cache beside DuckDB's table loaded in memory,
# and what the cache holds against the file's size.
printf '%s\n' "$duck" > "$dir/duckdb-times"
python3 tools/bench_repl.py "$aiq" "$data" "$dir/duckdb-times"
# time against size, 10 MB to about 5 GB (issue 18.5)
duckdir=""; [ -n "$duck" ] && duckdir=$dir
sh tools/bench_scale.sh "$aiq" "$data" "$schema" "$duckdir"
