# A query file saved with a UTF-8 byte order mark (Notepad, PowerShell's Out-File)
# runs as it would without one, from every source; an error in it points at the
# line and column an editor shows (counted after the mark), caret under the name.
. tests/cli/lib.sh
N="--now 2026-01-01T00:00:00Z"
BOM='\357\273\277'
printf "${BOM}print a = 1\n" > "$T/bom.kql"
expect_rc 0 "$AIQ" $N -o ndjson "$T/bom.kql"
expect_out '{"a":1}'
expect_rc 0 "$AIQ" $N -o ndjson -f "$T/bom.kql"
expect_out '{"a":1}'
"$AIQ" $N -o ndjson < "$T/bom.kql" > "$T/out" 2> "$T/err" || die "stdin with a BOM: $(cat "$T/err")"
expect_out '{"a":1}'
expect_rc 0 "$AIQ" check "$T/bom.kql"
printf "${BOM}print a = nosuch\n" > "$T/bad.kql"
expect_rc 1 "$AIQ" check "$T/bad.kql"
err_has "$T/bad.kql:1:11: error:"
[ "$(sed -n 2,3p "$T/err")" = "$(printf '    print a = nosuch\n              ^^^^^^')" ] ||
  die "caret misplaced: $(cat "$T/err")"
# the schema file read by --schema may carry one too
printf "${BOM}.create table X (n:long)\n" > "$T/schema.kql"
printf '{"n":7}\n' > "$T/x.jsonl"
expect_rc 0 "$AIQ" $N --schema "$T/schema.kql" -t X="$T/x.jsonl" -o ndjson -q 'X'
expect_out '{"n":7}'
# a mark anywhere else is a blank between tokens, as U+FEFF is to Kusto's
# parser (kqlcheck accepts it), but still no part of a name
printf "print a = 1${BOM}\n" > "$T/mid.kql"
expect_rc 0 "$AIQ" check "$T/mid.kql"
printf "print a${BOM}b = 1\n" > "$T/mid2.kql"
expect_rc 1 "$AIQ" check "$T/mid2.kql"
