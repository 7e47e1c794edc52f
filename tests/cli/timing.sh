# --timing (CLI.md, issue 20.5): on stderr, the time of each stage, what each input read
# (files, bytes as stored, rows read before any test the reader applies), the rows after
# each operator (after the reader's own tests for a scan), and the peak memory; checked
# against inputs whose figures are known. The result itself is untouched.
. tests/cli/lib.sh
awk 'BEGIN { for (i = 1; i <= 5000; i++) printf "{\"a\":%d,\"g\":\"g%d\"}\n", i, i % 7 }' > "$T/t.jsonl"
bytes=$(wc -c < "$T/t.jsonl")
printf '.create table T (a:long, g:string)\n' > "$T/s.kql"
q='T | where a > 4000 | summarize n = count() by g | take 3'
expect_rc 0 "$AIQ" --timing --schema "$T/s.kql" -t T="$T/t.jsonl" -o csv -q "$q"
[ "$(wc -l < "$T/out")" = 4 ] || die "--timing changed the result: $(cat "$T/out")"
grep -q '^aiq: timing: parse [0-9.]* s, bind [0-9.]* s, plan [0-9.]* s, run [0-9.]* s, output [0-9.]* s; total [0-9.]* s$' "$T/err" ||
  die "no stage times: $(cat "$T/err")"
err_has "aiq: timing: read T: 1 file, $bytes bytes ("
err_has "KiB), 5000 rows"
err_has "aiq: timing: rows after each operator (time in it, its inputs included):"
# each operator's rows: the scan gives what its reader kept (a > 4000 is tested there)
grep -q '^aiq: timing:   take: 3 rows, [0-9.]* s$' "$T/err" || die "take: $(cat "$T/err")"
grep -q '^aiq: timing:     summarize: 7 rows, [0-9.]* s$' "$T/err" || die "summarize: $(cat "$T/err")"
grep -q '^aiq: timing:       filter: 1000 rows, [0-9.]* s$' "$T/err" || die "filter: $(cat "$T/err")"
grep -q '^aiq: timing:         scan T: 1000 rows, [0-9.]* s$' "$T/err" || die "scan: $(cat "$T/err")"
grep -q '^aiq: timing: peak memory [0-9.]* MiB.*, memory limit: ' "$T/err" || die "no peak memory: $(cat "$T/err")"
[ "$(grep -vc '^aiq: timing: ' "$T/err")" = 0 ] || die "other lines: $(cat "$T/err")"

# the same read by every path: mapped (over 1 MB) with one thread and several, compressed
# (the bytes on disk), two files, stdin, and an undeclared table's first pass
awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "{\"a\":%d,\"g\":\"padding to pass one megabyte\"}\n", i }' > "$T/big.jsonl"
big=$(wc -c < "$T/big.jsonl")
for j in 1 4; do
  expect_rc 0 "$AIQ" --timing -j $j --schema "$T/s.kql" -t T="$T/big.jsonl" -o csv -q 'T | count'
  err_has "read T: 1 file, $big bytes ("
  err_has "MiB), 40000 rows"
done
gzip -c "$T/t.jsonl" > "$T/t.jsonl.gz"
expect_rc 0 "$AIQ" --timing --schema "$T/s.kql" -t T="$T/t.jsonl.gz" -o csv -q 'T | count'
err_has "read T: 1 file, $(wc -c < "$T/t.jsonl.gz") bytes"
err_has ", 5000 rows"
mkdir "$T/two" && cp "$T/t.jsonl" "$T/big.jsonl" "$T/two/"
expect_rc 0 "$AIQ" --timing --schema "$T/s.kql" -t T="$T/two" -o csv -q 'T | count'
err_has "read T: 2 files, $((bytes + big)) bytes ("
err_has "MiB), 45000 rows"
expect_rc 0 "$AIQ" --timing --schema "$T/s.kql" -t T=- -o csv -q 'T | count' < "$T/t.jsonl"
err_has "read T: 1 file, $bytes bytes ("
# an undeclared table is read once: types guessed from its first rows, verified on every row
expect_rc 0 "$AIQ" --timing -t T="$T/t.jsonl" -o csv -q 'T | where g == "g3" | count'
! grep -q 'first pass' "$T/err" || die "a first pass for types that fit the first rows: $(cat "$T/err")"
err_has "read T: 1 file, $bytes bytes ("
grep -q '^aiq: timing:       scan T: 714 rows, ' "$T/err" || die "scan after g == \"g3\": $(cat "$T/err")"
# a row past the first block that does not fit the guess: a first pass, and the query again
{ cat "$T/big.jsonl"; echo '{"a":0.5,"g":"late"}'; } > "$T/late.jsonl"
late=$(wc -c < "$T/late.jsonl")
expect_rc 0 "$AIQ" --timing -t T="$T/late.jsonl" -o csv -q 'T | summarize s = sum(a), n = count()'
expect_out "$(printf 's,n\n800020000.5,40001')"
err_has "read T (first pass, for types): 1 file, $late bytes ("
[ "$(grep -c "read T: 1 file" "$T/err")" = 2 ] || die "the query should read T twice (the guess, then the types of every row): $(cat "$T/err")"
# a tabular let used twice shows its operators once, with the rows of all its uses
expect_rc 0 "$AIQ" --timing --schema "$T/s.kql" -t T="$T/t.jsonl" -o csv -q 'let x = T | where a <= 10; x | union x | count'
err_has "shared: 20 rows (all its uses), "
err_has "shared: the let above"
# a query that fails running says how far it got
expect_rc 4 "$AIQ" --timing --max-memory 64M -o csv -q 'range x from 1 to 3000000 step 1 | summarize count() by tostring(x)'
err_has "aiq: timing: rows after each operator"
grep -q '^aiq: timing:     range: [0-9]* rows, ' "$T/err" || die "range: $(cat "$T/err")"
err_has "aiq: timing: peak memory"
