# --explain prints the typed plan: operators, pushed names, result types.
. tests/cli/lib.sh
expect_rc 0 "$AIQ" --now 2026-11-21T12:00:00Z --explain -q 'AppRequests | where TimeGenerated > ago(1h) | summarize n = count() by AppRoleName | top 3 by n'
expect_out "top 3 by n desc nulls last -> (AppRoleName:string, n:long)
  summarize count() by AppRoleName -> (AppRoleName:string, n:long)
    filter (TimeGenerated > datetime(2026-11-21T11:00:00Z)) -> (TimeGenerated:datetime, Id:string, Name:string, Url:string, DurationMs:real, ResultCode:string, Success:bool, AppRoleName:string, AppRoleInstance:string, OperationId:string, OperationName:string, ClientIP:string, ItemCount:long, Properties:dynamic, Measurements:dynamic)
      scan AppRequests reads (TimeGenerated, AppRoleName) -> (TimeGenerated:datetime, Id:string, Name:string, Url:string, DurationMs:real, ResultCode:string, Success:bool, AppRoleName:string, AppRoleInstance:string, OperationId:string, OperationName:string, ClientIP:string, ItemCount:long, Properties:dynamic, Measurements:dynamic)"
# the pushdown shows the keys of a dynamic column read through constant keys
expect_rc 0 "$AIQ" --explain queries/token_usage.kql
out_has 'scan AppRequests reads (TimeGenerated, AppRoleName, Properties["deployment","tokens.total"])'
