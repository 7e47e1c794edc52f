# --param NAME=V names a parameter the query declares; any other name is a usage error
# (exit 2) that suggests the declared name or shows how to declare one -- in a run,
# with --explain and in aiq check -- never a value silently ignored.
. tests/cli/lib.sh
N="--now 2026-01-01T00:00:00Z"
printf 'declare query_parameters(svc:string, minMs:real = 100.0);\nprint s = svc, m = minMs\n' > "$T/q.kql"
expect_rc 0 "$AIQ" $N -o ndjson --param svc=chat --param minMs=5 "$T/q.kql"
expect_out '{"s":"chat","m":5}'
# a typo: the closest declared name is suggested
expect_rc 2 "$AIQ" $N -o csv --param svc=chat --param minMS=5 "$T/q.kql"
err_has "--param minMS=5: the query declares no parameter 'minMS'; did you mean 'minMs'?"
[ ! -s "$T/out" ] || die "output despite the usage error: $(cat "$T/out")"
expect_rc 2 "$AIQ" $N --explain --param svc=chat --param svcc=x "$T/q.kql"
err_has "the query declares no parameter 'svcc'; did you mean 'svc'?"
expect_rc 2 "$AIQ" check $N --param svc=chat --param minMS=5 "$T/q.kql"
err_has "did you mean 'minMs'?"
# a query that declares nothing: say how to declare it
expect_rc 2 "$AIQ" $N --param region=westus -q 'print a = 1'
err_has "--param region=westus: the query declares no parameter 'region'; declare it with 'declare query_parameters(region:string);'"
# nothing close: no wrong guess
expect_rc 2 "$AIQ" $N --param svc=chat --param zzzzzzzz=1 "$T/q.kql"
err_has "the query declares no parameter 'zzzzzzzz'; it declares svc, minMs"
