# The full diagnostic layout: FILE:LINE:COL, the source line, a caret under the span.
. tests/cli/lib.sh
printf 'AppRequests\n| where Durration > 100\n' > "$T/q.kql"
expect_rc 1 "$AIQ" check -d testdata "$T/q.kql"
expect_err "$T/q.kql:2:9: error: unknown column 'Durration'; did you mean 'DurationMs'?
    | where Durration > 100
            ^^^^^^^^^"
