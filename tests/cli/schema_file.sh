# --schema FILE declares tables in Kusto's .create table syntax; errors name the line.
. tests/cli/lib.sh
printf '// my tables\n.create table Foo (A:long, [\047B C\047]:string, D:datetime)\n.create-merge table Bar (X:dynamic)\n' > "$T/s.kql"
printf 'Foo | extend E = A * 2 | project E, D, B = [\047B C\047]\n' > "$T/q.kql"
expect_rc 0 "$AIQ" check --schema "$T/s.kql" --explain "$T/q.kql"
out_has "columns: E:long, D:datetime, B:string"
printf '.create table Foo (A:lng)\n' > "$T/bad.kql"
expect_rc 2 "$AIQ" check --schema "$T/bad.kql" "$T/q.kql"
err_has "bad.kql:1:22: expected a type"
