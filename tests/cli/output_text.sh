# Text output, byte for byte: csv lines end in LF (--crlf for CR LF); format names in
# any case, md and jsonl; the table view shows a value as it is (control characters
# escaped) padded in terminal columns; tsv escapes only what would split a row.
. tests/cli/lib.sh
N="--now 2026-01-01T00:00:00Z"
# expect_bytes FORMAT ARGS...: stdout is exactly what printf FORMAT ARGS writes
expect_bytes() {
  printf "$@" > "$T/want"
  cmp -s "$T/want" "$T/out" || die "stdout: $(od -c "$T/out" | head -8) :: want: $(od -c "$T/want" | head -8)"
}

# csv: LF, as every Unix tool; a scripted number compares as a number
x=$("$AIQ" $N -o csv --no-header -q 'print n = 42') || die "csv run failed"
[ "$x" -gt 5 ] 2>/dev/null || die "csv value '$x' is not a number to the shell"
expect_rc 0 "$AIQ" $N -o csv -q 'print a = 1, b = "x,y", c = "two\nlines"'
expect_bytes 'a,b,c\n1,"x,y","two\nlines"\n'
expect_rc 0 "$AIQ" $N -o csv --crlf -q 'print a = 1, b = "x,y"'
expect_bytes 'a,b\r\n1,"x,y"\r\n'
expect_rc 0 "$AIQ" $N -o csv --crlf --no-header -q 'range x from 1 to 2 step 1'
expect_bytes '1\r\n2\r\n'
expect_rc 0 "$AIQ" $N -o tsv --crlf -q 'print a = 1'
expect_bytes 'a\r\n1\r\n'

# tsv: backslashes as they are; tab, LF and CR written \t, \n, \r
expect_rc 0 "$AIQ" $N -o tsv -q 'print p = @"C:\logs\new", t = "a\tb", n = "x\ny\rz"'
expect_bytes 'p\tt\tn\nC:\\logs\\new\ta\\tb\tx\\ny\\rz\n'

# table: the value as it is; widths in terminal columns
expect_rc 0 "$AIQ" $N -o table -q 'print p = @"C:\logs", w = "日本語", n = 1'
expect_bytes 'p        w       n\n-------  ------  -\nC:\\logs  日本語  1\n'
# wide header, combining accent (one column), emoji (two), a number right-aligned
cat > "$T/wide.kql" <<'Q'
datatable(['名前']:string, v:long) ["e\u0301x", 5, "🔥", 10]
Q
expect_rc 0 "$AIQ" $N -o table "$T/wide.kql"
expect_bytes '名前   v\n----  --\ne\314\201x     5\n🔥    10\n'
# control characters from the data are escaped (no terminal escape sequence gets
# through), and the padding counts the escaped text
printf '{"s":"a\\u001b[31mred","k":1}\n{"s":"tab\\there\\nnl","k":22}\n{"s":"\\\\\\\\srv\\\\share","k":3}\n' > "$T/c.jsonl"
expect_rc 0 "$AIQ" $N -t C="$T/c.jsonl" -o table -q 'C | project s, k'
expect_bytes 's                k\n--------------  --\na\\u001B[31mred   1\ntab\\there\\nnl   22\n\\\\srv\\share      3\n'

# format names: any case; md = markdown, jsonl = ndjson
expect_rc 0 "$AIQ" $N -o MD -q 'print a = 1'
expect_bytes '| a |\n| ---: |\n| 1 |\n'
expect_rc 0 "$AIQ" $N -o jsonl -q 'print a = 1'
expect_bytes '{"a":1}\n'
expect_rc 0 "$AIQ" $N -o CSV -q 'print a = 1'
expect_bytes 'a\n1\n'
expect_rc 0 "$AIQ" $N -o Markdown -q 'print a = 1'
expect_bytes '| a |\n| ---: |\n| 1 |\n'
expect_rc 2 "$AIQ" $N -o yaml -q 'print a = 1'
err_has "unknown format 'yaml' (expected table, csv, tsv, json, ndjson (or jsonl), markdown (or md))"

# A large result is rendered in parts side by side (out/output.c rows_out) and joined in
# row order: the bytes are one pass's at every -j, in every format that splits it
q='range i from 1 to 50000 step 1 | extend s = iff(i % 3 == 0, strcat("a,\"", i), strcat("t\t", i)), r = iff(i % 5 == 0, real(null), i / 4.0), d = datetime(2026-01-01) + i * 1s, y = iff(i % 7 == 0, dynamic(null), pack("k", i))'
for f in csv tsv json ndjson; do
  "$AIQ" $N -j 1 -o $f -q "$q" > "$T/one" 2>"$T/err" || die "-o $f -j 1 failed: $(cat "$T/err")"
  for j in 2 3 16; do
    "$AIQ" $N -j $j -o $f -q "$q" > "$T/many" 2>"$T/err" || die "-o $f -j $j failed: $(cat "$T/err")"
    cmp -s "$T/one" "$T/many" || die "-o $f at -j $j differs from -j 1: $(cmp "$T/one" "$T/many")"
  done
done
# and that pass is right: the header once, every row once and in order, a row in the middle as written
expect_rc 0 "$AIQ" $N -j 3 -o csv -q "$q"
[ "$(grep -c '^i,s,r,d,y$' "$T/out")" = 1 ] || die "csv header not once"
tail -n +2 "$T/out" | cut -d, -f1 | awk 'NR != $1 { bad = 1 } END { exit bad || NR != 50000 }' || die "csv rows not 1..50000 in order"
[ "$(sed -n 25001p "$T/out")" = "$(printf '25000,t\t25000,,2026-01-01T06:56:40Z,"{""k"":25000}"')" ] || die "csv row 25000: $(sed -n 25001p "$T/out")"
[ "$(sed -n 30001p "$T/out")" = '30000,"a,""30000",,2026-01-01T08:20:00Z,"{""k"":30000}"' ] || die "csv row 30000: $(sed -n 30001p "$T/out")"
expect_rc 0 "$AIQ" $N -j 3 -o json -q "$q"
[ "$(head -1 "$T/out")" = '[' ] && [ "$(tail -1 "$T/out")" = ']' ] || die "json array not opened and closed once"
[ "$(grep -c '},$' "$T/out")" = 49999 ] || die "json: not a comma after every row but the last"
