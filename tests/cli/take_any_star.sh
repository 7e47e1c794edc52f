# take_any(*), any(*) and arg_max(x, *): what '*' stands for and the names
# of the columns, as Microsoft's analyzer infers them (kqlcheck --columns);
# '*' once crashed the binder (issue 12).
. tests/cli/lib.sh
printf '{"a":1,"b":"x","c":1.5,"k":"p"}\n{"a":2,"b":"y","c":null,"k":"q"}\n' > "$T/T.jsonl"
cols() { # cols QUERY WANT: the result columns aiq infers for QUERY
  printf '%s\n' "$1" > "$T/q.kql"
  expect_rc 0 "$AIQ" check -t T="$T/T.jsonl" --explain "$T/q.kql"
  expect_out "$T/q.kql: columns: $2"
}
cols 'T | summarize any(*)' 'any_a:long, any_b:string, any_c:real, any_k:string'
cols 'T | summarize x=any(*)' 'x:long, any_b:string, any_c:real, any_k:string'
cols 'T | summarize any(*) by k' 'k:string, any_a:long, any_b:string, any_c:real'
cols 'T | summarize take_any(*) by k' 'k:string, a:long, b:string, c:real'
cols 'T | summarize take_any(*) by x=a' 'x:long, b:string, c:real, k:string'
cols 'T | summarize take_any(*) by a=k' 'a:string, a1:long, b:string, c:real'
cols 'T | summarize take_any(*) by bin(a, 2)' 'a:long, a1:long, b:string, c:real, k:string'
cols 'T | summarize take_any(*), take_any(*)' 'a:long, b:string, c:real, k:string, a1:long, b1:string, c1:real, k1:string'
cols 'T | summarize take_any(*, a)' 'a:long, b:string, c:real, k:string'
cols 'T | summarize take_any(b, *)' 'b:string, a:long, c:real, k:string'
cols 'T | summarize y=take_any(a, *)' 'y:long, b:string, c:real, k:string'
cols 'T | summarize take_any(a, a)' 'a:long, a1:long'
cols 'T | summarize take_any(*, a+1)' 'a:long, b:string, c:real, k:string, any_arg1:long'
cols 'T | summarize any(a+1)' 'any_:long'
cols 'T | summarize any(a+1, b)' 'any_arg0:long, any_b:string'
cols 'T | summarize take_any(a+1)' 'any_arg0:long'
cols 'T | summarize c=count(), take_any(*)' 'c:long, a:long, b:string, c1:real, k:string'
cols 'T | summarize arg_max(a, *) by x=k' 'x:string, a:long, b:string, c:real'
cols 'T | summarize arg_max(a, *, b)' 'a:long, b:string, c:real, k:string'
cols 'T | summarize arg_max(c, b, *)' 'c:real, b:string, a:long, k:string'
# any(*) stands alone, as in Kusto
printf 'T | summarize any(*, a)\n' > "$T/bad.kql"
expect_rc 1 "$AIQ" check -t T="$T/T.jsonl" "$T/bad.kql"
err_has "1:19: error: '*' must be the only argument of any()"
# and the values come from one row of each group
expect_rc 0 "$AIQ" -t T="$T/T.jsonl" -o ndjson -q 'T | summarize take_any(*) by k | sort by k asc'
expect_out '{"k":"p","a":1,"b":"x","c":1.5}
{"k":"q","a":2,"b":"y","c":null}'
expect_rc 0 "$AIQ" -t T="$T/T.jsonl" -o ndjson -q 'T | where a > 5 | summarize any(*)'
expect_out '{"any_a":null,"any_b":"","any_c":null,"any_k":""}'
