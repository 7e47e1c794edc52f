# lets_only.sh -- a file of only let statements (a library of functions,
# valid KQL): `aiq check` accepts it and binds every let (check --explain
# says "ok", as kqlcheck --columns does, for there are no result columns);
# running or explaining it is an error at its end, where the query
# expression is missing.
. tests/cli/lib.sh
N="--now 2026-01-01T00:00:00Z"
printf 'let lo = 5;\nlet Slow = (t:(*)) { t | where DurationMs > lo };\n' > "$T/lib.kql"
expect_rc 0 "$AIQ" check "$T/lib.kql"
expect_rc 0 "$AIQ" check --syntax "$T/lib.kql"
expect_rc 0 "$AIQ" check -d testdata --explain "$T/lib.kql"
expect_out "$T/lib.kql: ok"
# each let still binds: an unknown name in one is an error
printf 'let lo = 5;\nlet hi = lo + nosuch();\n' > "$T/bad.kql"
expect_rc 1 "$AIQ" check -d testdata "$T/bad.kql"
err_has "$T/bad.kql:2:15: error: unknown function 'nosuch'"
expect_rc 1 "$AIQ" $N -d testdata -f "$T/lib.kql"
err_has "$T/lib.kql:2:49: error: the query has only 'let' statements; it needs a final query expression such as a table name"
expect_rc 1 "$AIQ" $N -d testdata --explain -f "$T/lib.kql"
err_has "the query has only 'let' statements"
# the same library with a query after it runs
printf 'let lo = 5;\nlet Slow = (t:(*)) { t | where DurationMs > lo };\nSlow(AppRequests) | count | extend ok = Count > 0 | project ok\n' > "$T/use.kql"
expect_rc 0 "$AIQ" $N -d testdata -o csv --no-header -f "$T/use.kql"
expect_out "true"
exit 0
