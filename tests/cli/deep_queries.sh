# Queries as long as the text allows: chains that must work (pipelines,
# flat 1 + 1 + ..., long or/and chains, let chains, member chains, nested
# functions), and the limits past which a query is the error "query too
# deep (limit N)", exit 1, in a run and in `aiq check` alike, never a
# stack overflow. (Issue 12, point 10: each of these crashed before.)
. tests/cli/lib.sh
# Half the usual 8 MiB of stack: a walk that recurses once per element of a
# 100k chain needs more than that even in a plain build, so it fails here
# and not only under a sanitizer's larger frames (bind_has_window did, seen
# first under TSan); the bounded recursion left fits, ASan's frames too.
ulimit -s 4096 2>/dev/null || true
gen() { awk -v n="$2" "BEGIN { $1 }" > "$T/q.kql"; }
run_ok() { expect_rc 0 "$AIQ" -o ndjson -f "$T/q.kql"; expect_out "$1"; expect_rc 0 "$AIQ" check "$T/q.kql"; }
too_deep() { # too_deep LIMIT WHAT: exit 1 with the message, run and check
  expect_rc 1 "$AIQ" -o ndjson -f "$T/q.kql"; err_has "error: query too deep (limit $1): $2"; expect_out ""
  expect_rc 1 "$AIQ" check "$T/q.kql"; err_has "error: query too deep (limit $1): $2"
}

# a pipeline of 2,000 where stages, and of 9,990 sorts (the executor's pull
# chain nests one call per operator: it runs on a deep stack)
gen 'printf "print x = 1"; for (i = 0; i < n; i++) printf " | where x == 1"; print ""' 2000
run_ok '{"x":1}'
gen 'printf "print x = 1"; for (i = 0; i < n; i++) printf " | sort by x"; print ""' 9990
run_ok '{"x":1}'
gen 'printf "print x = 1"; for (i = 0; i < n; i++) printf " | summarize x = count() by y = 1 | project x"; print ""' 3000
run_ok '{"x":1}'
# more operators in a row than the limit
gen 'printf "print x = 1"; for (i = 0; i < n; i++) printf " | take 5"; print ""' 10000
too_deep 10000 'more than 10000 operators in a row'

# 1 + 1 + ... of 12,000 terms; 100k or terms; 100k and terms
gen 'printf "print x = 1"; for (i = 1; i < n; i++) printf " + 1"; print ""' 12000
run_ok '{"x":12000}'
gen 'printf "range x from 1 to 5 step 1 | where x == 1000000"; for (i = 1; i < n; i++) printf " or x == %d", 1000000 + i; print " or x == 3"' 100000
run_ok '{"x":3}'
gen 'printf "range x from 1 to 5 step 1 | where x > 0"; for (i = 1; i < n; i++) printf " and x != %d", 1000000 + i; print " and x == 4"' 100000
run_ok '{"x":4}'
# 100k chained lets, and a member chain d.a.a.a... of 100k
gen 'printf "let a0 = 0;"; for (i = 1; i < n; i++) printf " let a%d = a%d + 1;", i, i - 1; printf " print a%d\n", n - 1' 100000
run_ok '{"print_0":99999}'
gen 'printf "print d = dynamic({\"a\":{\"a\":7}}) | project y = tolong(d"; for (i = 0; i < n; i++) printf ".a"; print ")"' 100000
run_ok '{"y":null}'
# lets that nest to the right: 1 + (1 + (1 + ...)) past the expression limit
gen 'printf "let a0 = 0;"; for (i = 1; i < n; i++) printf " let a%d = 1 + a%d;", i, i - 1; printf " print a%d\n", n - 1' 1002
too_deep 1000 'an expression nests more than 1000 levels deep'

# functions wrapping functions: 999 deep work, 1,001 are too deep
gen 'printf "let f0 = (x:long) { x };"; for (i = 1; i < n; i++) printf " let f%d = (x:long) { f%d(x) + 1 };", i, i - 1; printf " print f%d(1)\n", n - 1' 999
run_ok '{"print_0":999}'
gen 'printf "let f0 = (x:long) { x };"; for (i = 1; i < n; i++) printf " let f%d = (x:long) { f%d(x) + 1 };", i, i - 1; printf " print f%d(1)\n", n - 1' 1001
too_deep 1000 'user functions call one another more than 1000 levels deep'
# each calling the one below twice doubles the inlined calls at every level
gen 'printf "let f0 = (x:long) { x };"; for (i = 1; i < n; i++) printf " let f%d = (x:long) { f%d(x) + f%d(x) };", i, i - 1, i - 1; printf " print f%d(1)\n", n - 1' 30
expect_rc 1 "$AIQ" check "$T/q.kql"
err_has 'error: query too large (limit 100000): user functions are called more than 100000 times once inlined'

# tabular lets chained 4,000 deep, and --explain of a long pipeline: its
# indentation stops growing, so the text grows with the query, not its square
gen 'printf "let t0 = print x = 1;"; for (i = 1; i < n; i++) printf " let t%d = t%d | where x > 0;", i, i - 1; printf " t%d\n", n - 1' 4000
run_ok '{"x":1}'
gen 'printf "print x = 1"; for (i = 0; i < n; i++) printf " | where x == 1"; print ""' 5000
expect_rc 0 "$AIQ" --explain -f "$T/q.kql"
[ "$(wc -c < "$T/out")" -lt 2000000 ] || die "--explain of 5000 wheres printed $(wc -c < "$T/out") bytes"
out_has 'filter (x == 1) -> (x:long)'
