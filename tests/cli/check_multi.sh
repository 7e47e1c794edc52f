# aiq check over several files: every file reported, worst exit code wins.
. tests/cli/lib.sh
printf 'AppRequests | count\n' > "$T/good.kql"
printf 'AppRequests | wher x\n' > "$T/bad.kql"
expect_rc 0 "$AIQ" check -d testdata "$T/good.kql"
expect_out ""
expect_rc 1 "$AIQ" check -d testdata "$T/good.kql" "$T/bad.kql" "$T/good.kql"
[ "$(grep -c 'error:' "$T/err")" -eq 1 ] || die "want one error: $(cat "$T/err")"
expect_rc 2 "$AIQ" check "$T/missing.kql"
err_has "missing.kql: No such file or directory"
expect_rc 2 "$AIQ" check
err_has "usage: aiq check"
