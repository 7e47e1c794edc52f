# Usage errors exit 2 with a message; --help and --version exit 0.
. tests/cli/lib.sh
expect_rc 0 "$AIQ" --help
out_has "usage: aiq"
out_has "Exit codes"
# where data comes from, and the REPL, in at most 60 lines (issue 17.5)
out_has "-d, --data DIR"; out_has "-t, --table"; out_has "DATA_FILE"; out_has '$AIQ_DATA'; out_has "REPL"
[ "$(wc -l < "$T/out")" -le 60 ] || die "--help has $(wc -l < "$T/out") lines, more than 60"
expect_rc 0 "$AIQ" --version
out_has "aiq "
expect_rc 2 "$AIQ" --no-such-option
expect_rc 2 "$AIQ" -o yaml -q 'AppRequests | count'
err_has "unknown format 'yaml'"
expect_rc 2 "$AIQ" -t =x.jsonl -q 'T'
err_has "-t expects NAME=PATH or PATH"
expect_rc 2 "$AIQ" -t T=/no/such/file.jsonl -q 'T'
err_has "/no/such/file.jsonl: No such file or directory"
expect_rc 2 "$AIQ" --max-memory lots -q 'AppRequests | count'
err_has "--max-memory expects a size"
expect_rc 2 "$AIQ" --now yesterday -q 'print now()'
err_has "--now expects an ISO 8601 time"
expect_rc 2 "$AIQ" -j 0 -q 'print 1'
expect_rc 2 "$AIQ" --param x -q 'print 1'
err_has "--param expects NAME=VALUE"
expect_rc 2 "$AIQ" --schema /no/such/schema.kql -q 'print 1'
