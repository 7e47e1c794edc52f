# declare query_parameters: --param values are typed; a bad value is a usage error.
. tests/cli/lib.sh
printf 'declare query_parameters(minMs:real = 100.0, svc:string);\nAppRequests | where DurationMs > minMs and AppRoleName == svc\n' > "$T/q.kql"
expect_rc 2 "$AIQ" -d testdata --explain "$T/q.kql"
err_has "query parameter 'svc' has no value; pass --param svc=VALUE"
expect_rc 0 "$AIQ" -d testdata --explain --param svc=chat-api "$T/q.kql"
out_has '(DurationMs > 100.0)'
out_has '(AppRoleName == "chat-api")'
expect_rc 0 "$AIQ" -d testdata --explain --param svc=x --param minMs=2500.5 "$T/q.kql"
out_has '(DurationMs > 2500.5)'
expect_rc 2 "$AIQ" -d testdata --explain --param svc=x --param minMs=fast "$T/q.kql"
err_has "--param minMs=fast: the value is not a valid real"
