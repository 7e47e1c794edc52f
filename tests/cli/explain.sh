# --explain prints the typed plan: operators, pushed names, result types.
. tests/cli/lib.sh
expect_rc 0 "$AIQ" -d testdata --now 2026-11-21T12:00:00Z --explain -q 'AppRequests | where TimeGenerated > ago(1h) | summarize n = count() by AppRoleName | top 3 by n'
expect_out "top 3 by n desc nulls last -> (AppRoleName:string, n:long)
  summarize count() by AppRoleName -> (AppRoleName:string, n:long)
    filter (TimeGenerated > datetime(2026-11-21T11:00:00Z)) [reader tests: (TimeGenerated > datetime(2026-11-21T11:00:00Z))] -> (TimeGenerated:datetime, Id:string, Name:string, Url:string, DurationMs:real, ResultCode:string, Success:bool, AppRoleName:string, AppRoleInstance:string, OperationId:string, OperationName:string, ClientIP:string, ItemCount:long, Properties:dynamic, Measurements:dynamic)
      scan AppRequests reads (TimeGenerated, AppRoleName) -> (TimeGenerated:datetime, Id:string, Name:string, Url:string, DurationMs:real, ResultCode:string, Success:bool, AppRoleName:string, AppRoleInstance:string, OperationId:string, OperationName:string, ClientIP:string, ItemCount:long, Properties:dynamic, Measurements:dynamic)"
# the pushdown shows the keys of a dynamic column read through constant keys
expect_rc 0 "$AIQ" -d testdata --explain queries/token_usage.kql
out_has 'scan AppRequests reads (TimeGenerated, AppRoleName, Properties["deployment","tokens.total"])'
# what the reader does for the operators above it: the `column op constant`
# conjuncts of wheres straight over the scan (not strlen(...), not a where
# on a column an extend computes), and the running threshold of a top by a
# column; a where on columns an extend passes through goes below it first
expect_rc 0 "$AIQ" -d testdata --explain -q 'AppRequests | where 100 < DurationMs and strlen(Name) > 3 and ResultCode != "200" | top 5 by DurationMs'
out_has 'filter (strlen(Name) > 3) ->'
out_has 'filter (100 < DurationMs) [reader tests: (100 < DurationMs)] ->'
out_has 'filter (ResultCode != "200") [reader tests: (ResultCode != "200")] ->'
out_has 'top 5 by DurationMs desc nulls last ->'
expect_rc 0 "$AIQ" -d testdata --explain -q 'AppRequests | top 5 by DurationMs'
out_has 'top 5 by DurationMs desc nulls last [reader skips rows that cannot enter the top 5] ->'
expect_rc 0 "$AIQ" -d testdata --explain -q 'AppRequests | extend d = DurationMs * 1 | where d > 100 | top 5 by d'
out_lacks 'reader'
expect_rc 0 "$AIQ" -d testdata --explain -q 'AppRequests | extend d = DurationMs | where d > 100 | top 5 by d'
out_has 'filter (DurationMs > 100) [reader tests: (DurationMs > 100)] ->'
out_lacks 'reader skips'
