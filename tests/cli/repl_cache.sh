# The REPL's column cache (CLI.md, "REPL"; issue 16.1/16.2): every query
# answered twice in the REPL -- first streamed from the file while the
# columns it reads are kept, then from memory, or from memory beside the
# columns it still lacks -- gives the command line's answer, byte for
# byte, at one and two threads. The rows force each encoding: repeated
# strings (dictionary), unique ones (the dictionary given up after 8192
# rows), bools with nulls (bits), numbers with nulls, whole dynamic
# columns, and a dynamic column read only by key (not kept). Also: a
# query scanning the table twice (a join), `take` cut short, and the
# `.tables` line saying what is held.
. tests/cli/lib.sh
command -v script >/dev/null || die "script(1) (bsdutils) is needed to drive the REPL on a pty"
command -v python3 >/dev/null || die "python3 is needed to make the rows"
export XDG_STATE_HOME="$T/state" XDG_CACHE_HOME="$T/cache"
python3 tests/data/gen_cache_rows.py 30000 "$T/T.jsonl"
cat > "$T/queries" <<'Q'
T | count
T | summarize c = count(), s = sum(n), a = round(avg(dur), 6) by role | order by role asc
T | where ok == true | summarize count() by code | order by code asc
T | where id startswith "a" | project id, role, ok, n, ts | order by id asc | take 50
T | summarize dcount(id), countif(isnull(ok)), countif(isnull(n)), countif(isempty(big)), max(strlen(big))
T | take 5
T | where props.k == "v3" | summarize count() by tostring(props.k)
T | project props, tags, big | order by tostring(props) asc, tostring(tags) asc, big asc | take 20
T | summarize percentile(dur, 95) by bin(ts, 1h), role | order by ts asc, role asc
T | join kind=inner (T | summarize m = max(dur) by role) on role | where dur == m | project id, role, m | order by id asc
T | where isnotnull(ok) and ok == false and code == "429" | summarize count(), sum(n) by role | order by role asc
T | summarize make_set(code) by role | order by role asc
T | where props.k == "v9" | project id, props, r = gettype(props.r), i = gettype(props.i) | order by id asc | take 5
T | where isnotnull(props) | summarize c = count(), d = dcount(tostring(props)), g = make_set(gettype(props.r)) by role | order by role asc
Q
n=$(wc -l < "$T/queries")
for j in 1 2; do
  i=0
  while IFS= read -r q; do
    i=$((i + 1))
    "$AIQ" -j $j -o csv -q "$q" "$T/T.jsonl" > "$T/cli_$i.csv" 2> "$T/cli_err" || die "CLI failed on: $q :: $(cat "$T/cli_err")"
  done < "$T/queries"
  # each query twice in the REPL, its answers to files (.once); then .tables
  { printf '.format csv\n'
    i=0
    while IFS= read -r q; do
      i=$((i + 1))
      printf '.once %s/repl_%s_a.csv\n%s\n\n.once %s/repl_%s_b.csv\n%s\n\n' "$T" $i "$q" "$T" $i "$q"
    done < "$T/queries"
    printf '.tables\n.quit\n'
  } | timeout 120 script -qec "$AIQ -j $j $T/T.jsonl" /dev/null > "$T/out" 2>&1 || die "the REPL did not exit cleanly: $(tail -5 "$T/out")"
  for i in $(seq 1 "$n"); do
    q=$(sed -n "${i}p" "$T/queries")
    for pass in a b; do
      [ -s "$T/repl_${i}_$pass.csv" ] || die "-j $j: no REPL answer ($pass) to: $q :: $(tr -d '\r' < "$T/out" | tail -20)"
      cmp -s "$T/cli_$i.csv" "$T/repl_${i}_$pass.csv" ||
        die "-j $j: the REPL's answer ($pass) differs from the CLI's for: $q :: $(diff "$T/cli_$i.csv" "$T/repl_${i}_$pass.csv" | head -10)"
    done
  done
  # every column was read whole by some query: every one is held
  tr -d '\r' < "$T/out" | grep -q 'T  .*30000 rows, 10 of 10 columns in memory' ||
    die "-j $j: .tables does not say all 10 columns of 30000 rows are held: $(tr -d '\r' < "$T/out" | grep -A3 '^table')"
done

# Bounded by --max-memory: the cache holds at most half the limit,
# forgetting the columns read longest ago (12 MiB of 24 here: the second
# query's two string columns push out the first's), and a query that
# needs the memory the cache holds runs again without it rather than
# failing. Every answer is still the command line's.
python3 tests/data/gen_cache_rows.py 400000 "$T/B.jsonl"
q1='B | summarize max(ts), max(dur), max(n)'
q2='B | summarize max(strlen(id)), max(strlen(big))'
q3='B | summarize dcount(id)'
for i in 1 2 3; do
  eval "q=\$q$i"
  "$AIQ" -o csv -q "$q" "$T/B.jsonl" > "$T/bcli_$i.csv" || die "CLI failed on: $q"
done
run_budget() { # LIMIT QUERY...: each query's answer to $T/b_<k>.csv, .tables after each
  limit=$1; shift
  { printf '.format csv\n'; k=0
    for q in "$@"; do k=$((k + 1)); printf '.once %s/b_%s.csv\n%s\n\n.tables\n' "$T" $k "$q"; done
    printf '.quit\n'; } | timeout 120 script -qec "$AIQ --max-memory $limit $T/B.jsonl" /dev/null > "$T/out" 2>&1 ||
    die "the REPL did not exit cleanly: $(tail -5 "$T/out")"
  tr -d '\r' < "$T/out" > "$T/clean"
}
same() { cmp -s "$T/bcli_$1.csv" "$T/b_$2.csv" || die "under $limit the REPL's answer $2 differs: $(cat "$T/b_$2.csv") :: $(tail -20 "$T/clean")"; }
run_budget 24M "$q1" "$q2" "$q1"
same 1 1; same 2 2; same 1 3
held=$(grep -o 'columns in memory ([0-9.]* MB)' "$T/clean" | sed 's/[^0-9.]//g')
[ "$(printf '%s\n' "$held" | wc -l)" -eq 3 ] || die "expected three .tables lines with columns held: $(grep -A2 '^table' "$T/clean")"
for mb in $held; do
  awk -v m="$mb" 'BEGIN { exit !(m <= 12.6) }' || die "the cache held $mb MB, over half of --max-memory 24M: $(grep -A2 '^table' "$T/clean")"
done
grep -q '3 of 10 columns in memory' "$T/clean" || die "nothing was cached under 24M: $(grep -A2 '^table' "$T/clean")"
run_budget 40M "$q1" "$q2" "$q3"
same 1 1; same 2 2; same 3 3
grep -q 'the query needs the memory the cache held' "$T/clean" || die "the last query did not run again without the cache: $(tail -20 "$T/clean")"
