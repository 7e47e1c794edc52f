# Empty tables (issue 20.1): a table whose files hold no rows binds the columns a query
# names -- from a declared schema; else from the schema remembered from the last run over the
# same path ($XDG_CACHE_HOME/aiq, written each time types are inferred from rows, or guessed and
# verified on every column of every row); else as
# nulls (dynamic unless the query needs a type) with one warning -- and answers as Kusto does
# over an empty table: no rows, or one row for aggregates without `by` (count() 0, max() null).
. tests/cli/lib.sh
export XDG_CACHE_HOME="$T/cache"
mkdir "$T/logs"
log=$T/logs/app.jsonl
agg='app | summarize n = count(), m = max(DurationMs), last = max(TimeGenerated)'

# nothing known yet: one warning naming the columns, and Kusto's answers
: > "$log"
expect_rc 0 "$AIQ" -t "$log" -o json -q "$agg"
expect_out "$(printf '[\n{"n":0,"m":null,"last":null}\n]')"
expect_err "aiq: app: no rows, and no schema declared or remembered from an earlier run: the columns the query names are null (DurationMs:long, TimeGenerated:long)"
expect_rc 0 "$AIQ" -t "$log" -o json -q 'app | where DurationMs > 100 | summarize count() by Name'
expect_out '[]'
[ "$(grep -c . "$T/err")" = 1 ] || die "one warning, not: $(cat "$T/err")"
# the names take the type the query needs: a by key, bin() of a time, a sum
expect_rc 0 "$AIQ" -t "$log" -o csv -q 'app | summarize s = sum(Tokens) by Deployment, bin(TimeGenerated, 5m)'
expect_out "Deployment,TimeGenerated,s"
err_has "(Deployment:long, TimeGenerated:datetime, Tokens:long)"
# a query that names no column needs no warning; a wrong query is still wrong
expect_rc 0 "$AIQ" -t "$log" -o csv -q 'app | count'
expect_out "$(printf 'Count\n0')"
expect_err ""
expect_rc 1 "$AIQ" -t "$log" -o csv -q 'app | where nosuchfunc(DurationMs)'
err_has "unknown function 'nosuchfunc'"
[ ! -d "$T/cache/aiq/schemas" ] || [ -z "$(ls "$T/cache/aiq/schemas")" ] || die "an empty table's guess was remembered"

# a run over rows remembers their types, by path, as a .create table
printf '{"TimeGenerated":"2026-11-21T10:00:00Z","DurationMs":12.5,"Name":"GET /","Ok":true}\n' > "$log"
expect_rc 0 "$AIQ" -t "$log" -o csv -q "$agg"
expect_out "$(printf 'n,m,last\n1,12.5,2026-11-21T10:00:00Z')"
# (a query reading some columns verifies the guessed types of those only: nothing remembered)
[ ! -d "$T/cache/aiq/schemas" ] || [ -z "$(ls "$T/cache/aiq/schemas")" ] || die "a partly verified guess was remembered"
expect_rc 0 "$AIQ" -t "$log" -o csv -q 'app'
[ "$(ls "$T/cache/aiq/schemas" | wc -l)" = 1 ] || die "no remembered schema: $(ls -R "$T/cache")"
grep -qx '.create table app (TimeGenerated:datetime, DurationMs:real, Name:string, Ok:bool)' "$T"/cache/aiq/schemas/*.kql ||
  die "remembered: $(cat "$T"/cache/aiq/schemas/*.kql)"
grep -qx "// origin: $log" "$T"/cache/aiq/schemas/*.kql || die "the path is not in $(cat "$T"/cache/aiq/schemas/*.kql)"
# rotated to empty: the remembered types, no warning; from another directory too
: > "$log"
expect_rc 0 "$AIQ" -t "$log" -o json -q "$agg"
expect_out "$(printf '[\n{"n":0,"m":null,"last":null}\n]')"
expect_err ""
expect_rc 0 "$AIQ" -t "$log" -o csv -q 'app | getschema | project ColumnName, ColumnType'
expect_out "$(printf 'ColumnName,ColumnType\nTimeGenerated,datetime\nDurationMs,real\nName,string\nOk,bool')"
case $AIQ in /*) aiq_abs=$AIQ ;; *) aiq_abs=$PWD/$AIQ ;; esac
(cd "$T/logs" && "$aiq_abs" -t app.jsonl -o csv -q 'app | project Name, DurationMs') > "$T/out" 2> "$T/err" || die "relative path: $(cat "$T/err")"
expect_out "Name,DurationMs"
expect_err ""
# ... and a name it never had is unknown, as for any table with a schema
expect_rc 1 "$AIQ" -t "$log" -o csv -q 'app | project Nope'
err_has "unknown column 'Nope'"
# another path has its own memory (none here)
cp "$log" "$T/logs/other.jsonl"
expect_rc 0 "$AIQ" -t "$T/logs/other.jsonl" -o csv -q 'other | project Name'
err_has "other: no rows, and no schema declared or remembered"
# the cache is only a cache: gone, or unwritable, the answer is the same
rm -rf "$T/cache"
expect_rc 0 "$AIQ" -t "$log" -o json -q "$agg"
expect_out "$(printf '[\n{"n":0,"m":null,"last":null}\n]')"
XDG_CACHE_HOME=/dev/null/nowhere expect_rc 0 "$AIQ" -t "$log" -o csv -q "$agg"
# a declared schema wins over both
printf '.create table app (TimeGenerated:datetime, DurationMs:long)\n' > "$T/schema.kql"
expect_rc 0 "$AIQ" --schema "$T/schema.kql" -t "$log" -o csv -q 'app | getschema | project ColumnName, ColumnType'
expect_out "$(printf 'ColumnName,ColumnType\nTimeGenerated,datetime\nDurationMs,long')"
expect_err ""

# a directory with no file in it yet is a table without rows (-d DIR/NAME/, -t NAME=DIR)
mkdir -p "$T/d/Perf" "$T/empty"
expect_rc 0 "$AIQ" -d "$T/d" -o csv -q 'Perf | summarize n = count(), v = max(CounterValue)'
expect_out "$(printf 'n,v\n0,')"
err_has "Perf: no rows, and no schema declared or remembered"
expect_rc 0 "$AIQ" -t E="$T/empty" -o csv -q 'E | count'
expect_out "$(printf 'Count\n0')"
