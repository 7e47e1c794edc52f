# aiq check type-checks a query whose declare query_parameters has no default without
# values, as Kusto's analyzer does: every type is known from the declaration. Running the
# query still needs each value (exit 2 naming it), and a value given is still checked.
. tests/cli/lib.sh
cat > "$T/rule.kql" <<'KQL'
declare query_parameters(Threshold:real, Window:timespan, Top:long, Svc:string, Ids:dynamic, Since:datetime, On:bool);
AppRequests
| where TimeGenerated > Since and TimeGenerated > ago(Window) and DurationMs > Threshold and AppRoleName == Svc and On
| where Id has_any (Ids)
| summarize n = count() by bin(TimeGenerated, Window)
| take Top
KQL
expect_rc 0 "$AIQ" check -d testdata "$T/rule.kql"
expect_err ""
expect_rc 0 "$AIQ" check --explain -d testdata "$T/rule.kql"
out_has "columns: TimeGenerated:datetime, n:long"
# the parameters' types are checked: a real compared with a string is an error at its place
printf 'declare query_parameters(T:real);\nAppRequests | where AppRoleName > T\n' > "$T/bad.kql"
expect_rc 1 "$AIQ" check -d testdata "$T/bad.kql"
err_has "bad.kql:2:21: error: cannot compare string with real"
printf 'declare query_parameters(T:real);\nAppRequests | where DurationMs > T | project Nope\n' > "$T/bad2.kql"
expect_rc 1 "$AIQ" check -d testdata "$T/bad2.kql"
err_has "bad2.kql:2:46: error: unknown column 'Nope'"
# a value given to check is still a value of its type
expect_rc 2 "$AIQ" check -d testdata --param Threshold=hot "$T/rule.kql"
err_has "--param Threshold=hot: the value is not a valid real"
# running needs the values
expect_rc 2 "$AIQ" -d testdata "$T/rule.kql"
err_has "query parameter 'Threshold' has no value; pass --param Threshold=VALUE"
