# plan_rewrites.sh -- the physical planner's rewrites (issue 18.4) change how
# a query runs, never what it returns: `sort by K | take N` runs as top N
# (ties in input order, as the sort keeps them), and a where over an extend
# or project that reads only passed-through columns runs below it, where
# the reader tests it. Each rewrite is shown by --explain and checked
# against the same query written so that the rewrite cannot apply.
. tests/cli/lib.sh
D="-d testdata --now 2026-11-21T12:00:00Z"

# same_rows A B: the two queries give the same rows in the same order
same_rows() {
  expect_rc 0 "$AIQ" $D -o csv -q "$1"; mv "$T/out" "$T/a"
  expect_rc 0 "$AIQ" $D -o csv -q "$2"; mv "$T/out" "$T/b"
  cmp -s "$T/a" "$T/b" || die "rows differ: $1 :: $2 :: $(diff "$T/a" "$T/b" | head -5)"
  [ "$(wc -l < "$T/a")" -gt 1 ] || die "no rows to compare: $1"
}

# sort | take is a top: --explain says so, with the reader's skip
expect_rc 0 "$AIQ" $D --explain -q 'AppRequests | sort by DurationMs desc | take 7'
out_has "top 7 by DurationMs desc"
out_has "reader skips rows that cannot enter the top 7"
out_lacks "sort by"
# ...with the sort's rows: many keys tie (ResultCode), ties keep input order;
# the extend between sort and take keeps the plain sort
for keys in "DurationMs desc" "ResultCode asc" "ResultCode desc, AppRoleName asc" "Success asc"; do
  same_rows "AppRequests | sort by $keys | take 25 | project Id" \
            "AppRequests | sort by $keys | extend z = 1 | take 25 | project Id"
done
expect_rc 0 "$AIQ" $D --explain -q 'AppRequests | sort by DurationMs | extend z = 1 | take 25'
out_has "sort by DurationMs"
same_rows "AppRequests | order by TimeGenerated asc | take 0 | count" "print Count = 0"

# a where over an extend goes below it and meets the scan
expect_rc 0 "$AIQ" $D --explain -q 'AppRequests | extend Slow = DurationMs > 1000 | where AppRoleName == "chat-api" | count'
out_has '[reader tests: (AppRoleName == "chat-api")]'
# over a project that renames: the where reads the old name below it
expect_rc 0 "$AIQ" $D --explain -q 'AppRequests | project Role = AppRoleName, DurationMs | where Role == "chat-api" | count'
out_has '[reader tests: (AppRoleName == "chat-api")]'
# a where on a computed column stays above the extend
expect_rc 0 "$AIQ" $D --explain -q 'AppRequests | extend Ms2 = DurationMs * 2 | where Ms2 > 1000 | count'
out_lacks "reader tests"
same_rows 'AppRequests | extend Slow = DurationMs > 1000 | where AppRoleName == "chat-api" and Slow | project Id, Slow' \
          'AppRequests | where AppRoleName == "chat-api" | extend Slow = DurationMs > 1000 | where Slow | project Id, Slow'
same_rows 'AppRequests | project Role = AppRoleName, Ms = DurationMs, Id | where Role != "chat-api" and Ms > 200 | project Id' \
          'AppRequests | where AppRoleName != "chat-api" and DurationMs > 200 | project Id'
# through a let used twice, and beside a join: each use gives the same rows
same_rows 'let R = AppRequests | extend Ms = DurationMs | where AppRoleName == "chat-api"; R | join kind=inner (R | project Id, Ms2 = Ms) on Id | project Id, Ms, Ms2' \
          'let R = AppRequests | where AppRoleName == "chat-api" | extend Ms = DurationMs; R | join kind=inner (R | project Id, Ms2 = Ms) on Id | project Id, Ms, Ms2'
exit 0
