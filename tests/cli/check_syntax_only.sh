# check --syntax parses without any schema: unknown tables are fine, syntax is not.
. tests/cli/lib.sh
printf 'NoSuchTable | where x > 1 | summarize count() by y\n' > "$T/q.kql"
expect_rc 0 "$AIQ" check --syntax "$T/q.kql"
expect_rc 1 "$AIQ" check -d testdata "$T/q.kql"
err_has "unknown table 'NoSuchTable'"
printf 'T | where x >\n' > "$T/bad.kql"
expect_rc 1 "$AIQ" check --syntax "$T/bad.kql"
err_has "bad.kql:1:14: error: expected an expression, found end of query"
