# Values and tables that double at every let: each level is computed once
# (a let used twice is one value, not two copies), and growth past a limit
# ends in exit 4 -- a string past 64 MiB, a table past --max-memory --
# where before 40 levels of strcat hung and 22 of union aborted.
. tests/cli/lib.sh
gen() { awk -v n="$2" "BEGIN { $1 }" > "$T/q.kql"; }
strcats='printf "let s0 = \"ab\";"; for (i = 1; i < n; i++) printf " let s%d = strcat(s%d, s%d);", i, i - 1, i - 1; printf " print n = strlen(s%d)\n", n - 1'
gen "$strcats" 21
expect_rc 0 timeout 60 "$AIQ" -o ndjson -f "$T/q.kql"
expect_out '{"n":2097152}'
gen "$strcats" 40
expect_rc 4 timeout 60 "$AIQ" -o ndjson -f "$T/q.kql"
err_has 'error: string too long: a value of 128 MiB is past the limit of 64 MiB on one value'
expect_out ''
# the same inside a function, over a table's rows: once per chunk, not 2^n times
gen 'printf "let f = (s:string) { let s0 = s;"; for (i = 1; i < n; i++) printf " let s%d = strcat(s%d, s%d);", i, i - 1, i - 1; printf " s%d }; datatable(x:string) [\"a\", \"bc\"] | project n = strlen(f(x))\n", n - 1' 16
expect_rc 0 timeout 60 "$AIQ" -o ndjson -f "$T/q.kql"
expect_out '{"n":32768}
{"n":65536}'
unions='printf "let t0 = range x from 1 to 100 step 1;"; for (i = 1; i < n; i++) printf " let t%d = union t%d, t%d;", i, i - 1, i - 1; printf " t%d | count\n", n - 1'
gen "$unions" 10
expect_rc 0 timeout 60 "$AIQ" -o ndjson -f "$T/q.kql"
expect_out '{"Count":51200}'
gen "$unions" 22
expect_rc 4 timeout 60 "$AIQ" --max-memory 64M -o ndjson -f "$T/q.kql"
err_has 'error: memory limit reached (--max-memory 64 MiB)'
expect_out ''
# --explain shows each let's tree once
expect_rc 0 timeout 60 "$AIQ" --explain -f "$T/q.kql"
[ "$(grep -c '^ *union' "$T/out")" -eq 21 ] || die "--explain printed $(grep -c union "$T/out") unions, want 21"
