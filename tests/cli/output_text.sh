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
