# Binding data to tables (CLI.md "Data"): data file arguments and -t PATH
# are named after the file, -t NAME=PATH replaces, -t wins over -d, a file
# bound twice is read once, and a run without data never answers from the
# bundled sample. Input errors point at the table's name in the query.
. tests/cli/lib.sh
mkdir -p "$T/logs" "$T/other"
printf '{"Id":"a","DurationMs":10}\n{"Id":"b","DurationMs":20}\n' > "$T/logs/AppRequests.jsonl"
printf '{"Id":"c","DurationMs":30}\n' > "$T/other/AppRequests.jsonl"
q='AppRequests | summarize n = count(), s = sum(DurationMs)'

# a data file argument is the table named after it: never the bundled sample
expect_rc 0 "$AIQ" -o tsv -q "$q" "$T/logs/AppRequests.jsonl"
expect_out "$(printf 'n\ts\n2\t30')"
expect_rc 2 "$AIQ" -q "$q" "$T/logs/AppRequests.jsonl" -o tsv
err_has "aiq: -o: options come before the query and data files"
printf '%s\n' "$q" > "$T/q.kql"
expect_rc 0 "$AIQ" -o tsv "$T/q.kql" "$T/logs/AppRequests.jsonl"
expect_out "$(printf 'n\ts\n2\t30')"
# -t PATH alone names the table after the file too
expect_rc 0 "$AIQ" -o tsv -t "$T/logs/AppRequests.jsonl" -q "$q"
expect_out "$(printf 'n\ts\n2\t30')"
# the name is the file name up to its first '.'; files of one name add up
cp "$T/logs/AppRequests.jsonl" "$T/app.log"
cp "$T/other/AppRequests.jsonl" "$T/app.log.1"
expect_rc 0 "$AIQ" -o tsv -q 'app | summarize n = count(), s = sum(DurationMs)' "$T/app.log" "$T/app.log.1"
expect_out "$(printf 'n\ts\n3\t60')"
# a name that is not an identifier is quoted in the query
cp "$T/other/AppRequests.jsonl" "$T/2026-11-21.jsonl"
expect_rc 0 "$AIQ" -o tsv -q "['2026-11-21'] | count" "$T/2026-11-21.jsonl"
expect_out "$(printf 'Count\n1')"
# a query naming another table fails listing the tables there are
expect_rc 1 "$AIQ" -q "$q" "$T/app.log"
err_has "unknown table 'AppRequests'; the tables are app; bind one with -t AppRequests=PATH"
# a directory argument is the table named after the directory
expect_rc 0 "$AIQ" -o tsv -q 'logs | count' "$T/logs/"
expect_out "$(printf 'Count\n2')"
# an Azure export path holds '=' (resourceId=/.../y=2026/): -t takes it as a path
mkdir -p "$T/y=2026"
cp "$T/other/AppRequests.jsonl" "$T/y=2026/PT1H.json"
expect_rc 0 "$AIQ" -o tsv -t "$T/y=2026/PT1H.json" -q 'PT1H | count'
expect_out "$(printf 'Count\n1')"

# -t NAME=PATH: a later binding of a name replaces an earlier one
expect_rc 0 "$AIQ" -o tsv -t AppRequests="$T/logs/AppRequests.jsonl" -t AppRequests="$T/other/AppRequests.jsonl" -q "$q"
expect_out "$(printf 'n\ts\n1\t30')"
# with -d, -t wins whatever the order
expect_rc 0 "$AIQ" -o tsv -d "$T/logs" -t AppRequests="$T/other/AppRequests.jsonl" -q "$q"
expect_out "$(printf 'n\ts\n1\t30')"
expect_rc 0 "$AIQ" -o tsv -t AppRequests="$T/other/AppRequests.jsonl" -d "$T/logs" -q "$q"
expect_out "$(printf 'n\ts\n1\t30')"
expect_rc 0 "$AIQ" -o tsv -d "$T/logs" -q "$q" "$T/other/AppRequests.jsonl"
expect_out "$(printf 'n\ts\n1\t30')"
# the same file bound twice (another spelling, a symlink, -d and -t) is read once
ln -s "$T/logs/AppRequests.jsonl" "$T/link.jsonl"
expect_rc 0 "$AIQ" -o tsv -q "$q" "$T/logs/AppRequests.jsonl" "$T/logs/../logs/AppRequests.jsonl"
expect_out "$(printf 'n\ts\n2\t30')"
expect_rc 0 "$AIQ" -o tsv -t AppRequests="$T/l*" -q "$q"
expect_out "$(printf 'n\ts\n2\t30')"
expect_rc 0 "$AIQ" -o tsv -d "$T/logs" -t AppRequests="$T/logs/AppRequests.jsonl" -q "$q"
expect_out "$(printf 'n\ts\n2\t30')"

# no data at all: a query naming a table is a usage error naming the options,
# with a caret under the table, whether the query comes from -q, a file or stdin
unset AIQ_DATA
expect_rc 2 "$AIQ" -q "$q" < /dev/null
err_has "query:1:1: error: no data given for table 'AppRequests': name its files with -t AppRequests=PATH, -d DIR or as arguments (or set AIQ_DATA)"
err_has "^^^^^^^^^^^"
[ ! -s "$T/out" ] || die "output without data: $(cat "$T/out")"
expect_rc 2 "$AIQ" "$T/q.kql" < /dev/null
err_has "no data given for table 'AppRequests'"
printf '%s\n' "$q" | "$AIQ" > "$T/out" 2> "$T/err"
[ $? -eq 2 ] || die "stdin query without data: want exit 2: $(cat "$T/err")"
err_has "no data given for table 'AppRequests'"
expect_rc 2 "$AIQ" schema < /dev/null
err_has "no data given"
# queries that name no table need no data
expect_rc 0 "$AIQ" -o tsv -q 'print x = 1' < /dev/null
expect_out "$(printf 'x\n1')"
expect_rc 0 "$AIQ" -o tsv -q 'range i from 1 to 3 step 1 | count' < /dev/null
expect_out "$(printf 'Count\n3')"
expect_rc 0 "$AIQ" -o tsv -q 'datatable(a:long) [1, 2] | summarize s = sum(a)' < /dev/null
expect_out "$(printf 's\n3')"
# $AIQ_DATA is data
AIQ_DATA="$T/logs" expect_rc 0 "$AIQ" -o tsv -q "$q" < /dev/null
expect_out "$(printf 'n\ts\n2\t30')"

# the REPL on a terminal opens the bundled sample, and says so; given data, it does not
if command -v script >/dev/null; then
  export XDG_STATE_HOME="$T/state"
  printf 'AppRequests | count\n\n.quit\n' | timeout 20 script -qec "$AIQ" /dev/null > "$T/repl" 2>&1 || die "REPL failed: $(cat "$T/repl")"
  grep -q 'No data given: this is the bundled sample data' "$T/repl" || die "REPL banner lacks the sample notice: $(cat "$T/repl")"
  printf 'AppRequests | count\n\n.quit\n' | timeout 20 script -qec "$AIQ $T/logs/AppRequests.jsonl" /dev/null > "$T/repl" 2>&1 || die "REPL failed: $(cat "$T/repl")"
  ! grep -q 'bundled sample' "$T/repl" || die "REPL with data mentions the sample: $(cat "$T/repl")"
  tr -d '\r' < "$T/repl" | grep -q '^ *2$' || die "REPL count of the bound file: $(cat "$T/repl")"
fi

# input errors (a missing file, a truncated one) point at the table in the query
expect_rc 2 "$AIQ" -q 'print 1 | join (AppRequests | project x = 1) on $left.print_0 == $right.x' -t AppRequests="$T/nope.jsonl"
expect_err "query:1:17: error: $T/nope.jsonl: No such file or directory
    print 1 | join (AppRequests | project x = 1) on \$left.print_0 == \$right.x
                    ^^^^^^^^^^^"
printf '{"a":1}\n' | zstd -q -c | head -c 9 > "$T/cut.jsonl.zst"
printf '.create table cut (a:long)\n' > "$T/cut.kql"
for schema in "" "--schema $T/cut.kql"; do
  # shellcheck disable=SC2086
  expect_rc 2 "$AIQ" $schema -q 'cut | count' "$T/cut.jsonl.zst"
  expect_err "query:1:1: error: $T/cut.jsonl.zst: truncated zstd file (the last frame is incomplete)
    cut | count
    ^^^"
done
# a file named on the command line that cannot be read is an error even
# when the query does not name its table
expect_rc 2 "$AIQ" -o tsv -q 'print 1' "$T/nope.jsonl"
expect_err "aiq: $T/nope.jsonl: No such file or directory"
[ ! -s "$T/out" ] || die "a result despite the missing file: $(cat "$T/out")"
# stdin has no name to give a table; one query file at a time
expect_rc 2 "$AIQ" -t - -q 'print 1'
err_has "stdin has no file name to name a table after; bind it with -t NAME=-"
expect_rc 2 "$AIQ" -q 'print 1' "$T/q.kql"
err_has "one query at a time"
