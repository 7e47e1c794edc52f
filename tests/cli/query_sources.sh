# Where the query comes from (-q, -f, a positional file, stdin) and the
# options that only shape output (--timing, --color).
. tests/cli/lib.sh
printf 'print x = 6 * 7\n' > "$T/q.kql"
expect_rc 0 "$AIQ" -o tsv -q 'print x = 6 * 7'
expect_out "$(printf 'x\n42')"
expect_rc 0 "$AIQ" -o tsv -f "$T/q.kql"
expect_out "$(printf 'x\n42')"
expect_rc 0 "$AIQ" -o tsv "$T/q.kql"
expect_out "$(printf 'x\n42')"
printf 'print x = 6 * 7' | "$AIQ" -o tsv > "$T/out" 2> "$T/err" || die "stdin query failed: $(cat "$T/err")"
expect_out "$(printf 'x\n42')"
printf 'print x = 6 *' | "$AIQ" -o tsv > "$T/out" 2> "$T/err" && die "a bad stdin query must fail"
err_has "stdin:1:14: error: expected an expression, found end of query"
expect_rc 0 "$AIQ" --timing -o tsv -q 'range x from 1 to 5000 step 1 | count'
err_has "aiq: timing:     range: 5000 rows, " # (timing.sh checks --timing itself)
err_has "aiq: timing:   summarize: 1 row, "
expect_rc 0 "$AIQ" --color=always -o table -q 'print a = 1'
grep -q "$(printf '\033\[1m')" "$T/out" || die "--color=always did not colour the header"
expect_rc 0 "$AIQ" --color=never -o table -q 'print a = 1'
grep -q "$(printf '\033')" "$T/out" && die "--color=never coloured the output"
NO_COLOR=1 expect_rc 0 "$AIQ" -o table -q 'print a = 1'
expect_rc 2 "$AIQ" --color=sometimes -q 'print 1'
err_has "--color expects auto, always or never"
true
