# Hostile and broken input: every case gives a counted skip, a clear error
# naming the file, or exit 2 -- never a crash, never a silent drop.
. tests/cli/lib.sh
q='T | summarize n = count()'
# malformed lines are skipped, counted and reported once per file
printf '{"a":1}\nnot json\n{"a":2}\n{"a":\n[1,2]\n' > "$T/m.jsonl"
expect_rc 0 "$AIQ" -t T="$T/m.jsonl" -o tsv -q "$q"
expect_out "n
2"
err_has "m.jsonl: 3 malformed lines skipped (first at line 2: "
# an object broken over lines is malformed on each of them, wherever the
# break falls: the reader finds line ends as it parses (no separate pass)
printf '{"a":1,\n"b":2}\n{"d":{"x":\n1}}\n{"d":[1,\n2]}\n{"a":3,"d":{"x":1}}\n{"a":4}  \r\n{"a":5,\n"b":1}' > "$T/split.jsonl"
printf '.create table T (a:long, d:dynamic)\n' > "$T/split.kql"
for sq in 'T | summarize n = count(), s = sum(a)' 'T | summarize n = count(), s = sum(a), x = countif(isnotnull(d))'; do
  for schema in "" "--schema $T/split.kql"; do
    # shellcheck disable=SC2086
    expect_rc 0 "$AIQ" $schema -t T="$T/split.jsonl" -o tsv -q "$sq"
    case "$(head -1 "$T/out")" in *x) want="$(printf 'n\ts\tx\n2\t7\t1')" ;; *) want="$(printf 'n\ts\n2\t7')" ;; esac
    expect_out "$want"
    err_has "split.jsonl: 8 malformed lines skipped (first at line 1: "
  done
done
# --strict makes the first one an error (exit 2) naming file and line
expect_rc 2 "$AIQ" --strict -t T="$T/m.jsonl" -q "$q"
err_has "m.jsonl:2: malformed line (--strict)"
[ ! -s "$T/out" ] || die "partial output on error"
# empty file, only a newline, no trailing newline, CRLF, BOM
: > "$T/empty.jsonl"
expect_rc 0 "$AIQ" -t T="$T/empty.jsonl" -o tsv -q "$q"
expect_out "n
0"
printf '\n' > "$T/nl.jsonl"
expect_rc 0 "$AIQ" -t T="$T/nl.jsonl" -o tsv -q "$q"
expect_out "n
0"
printf '\357\273\277{"a":1}\r\n{"a":2}\r\n{"a":3}' > "$T/crlf.jsonl"
expect_rc 0 "$AIQ" -t T="$T/crlf.jsonl" -o tsv -q 'T | summarize n = count(), s = sum(a)'
expect_out "$(printf 'n\ts\n3\t6')"
expect_err ""
# invalid UTF-8 is replaced with U+FFFD and counted
printf '{"s":"a\377b"}\n{"s":"ok"}\n' > "$T/utf8.jsonl"
expect_rc 0 "$AIQ" -t T="$T/utf8.jsonl" -o ndjson -q 'T | where s != "ok"'
expect_out '{"s":"a'"$(printf '\357\277\275')"'b"}'
err_has "1 line with invalid UTF-8; bad bytes replaced with U+FFFD"
# NUL bytes inside a line
printf '{"a":1}\n{"a":\0002}\n{"s":"x\\u0000y"}\n' > "$T/nul.jsonl"
expect_rc 0 "$AIQ" -t T="$T/nul.jsonl" -o tsv -q 'T | summarize n = count()'
expect_out "n
2"
err_has "1 malformed line skipped (first at line 2"
# NUL bytes before the first value are not blanks: the first line is
# malformed whether the file streams (-j 1, -j 2) or is read whole (stdin)
printf '\000\000[1]\n{"a":1}\n' > "$T/nul0.jsonl"
for how in "-j 1 -t T=$T/nul0.jsonl" "-j 2 -t T=$T/nul0.jsonl" "-t T=-"; do
  # shellcheck disable=SC2086
  expect_rc 0 "$AIQ" $how -o tsv -q 'T | summarize n = count()' < "$T/nul0.jsonl"
  expect_out "n
1"
  err_has "1 malformed line skipped (first at line 1"
done
# an escaped NUL byte in the key of an object nobody reads: jansson refuses
# NUL in keys, so the line is malformed whether the column is read or skipped
printf '{"a":1,"x":{"\\u0000":1}}\n{"a":2,"x":{"k":1}}\n' > "$T/nulkey.jsonl"
printf '.create table T (a:long, x:dynamic)\n' > "$T/nulkey.kql"
for nq in 'T | summarize n = count(), s = sum(a)' 'T | summarize n = count(), s = sum(a), k = countif(isnotnull(x))'; do
  expect_rc 0 "$AIQ" --schema "$T/nulkey.kql" -t T="$T/nulkey.jsonl" -o tsv -q "$nq"
  case "$nq" in *k\ =*) expect_out "$(printf 'n\ts\tk\n1\t2\t1')" ;; *) expect_out "$(printf 'n\ts\n1\t2')" ;; esac
  err_has "nulkey.jsonl: 1 malformed line skipped (first at line 1: NUL byte in object key not supported"
done
# numbers out of range (reals: the rows are kept), -0, 20-digit integers, duplicate keys
printf '{"x":1e400}\n{"x":-0}\n{"x":12345678901234567890}\n{"a":1,"a":2}\n' > "$T/num.jsonl"
expect_rc 0 "$AIQ" -t T="$T/num.jsonl" -o tsv -q 'T | summarize n = count()'
expect_out "n
4"
expect_err ""
# a truncated .zst and a .zst with garbage after the frame are errors naming the file
printf '{"a":1}\n{"a":2}\n' | zstd -q -c > "$T/ok.jsonl.zst"
expect_rc 0 "$AIQ" -t T="$T/ok.jsonl.zst" -o tsv -q 'T | summarize n = count(), s = sum(a)'
expect_out "$(printf 'n\ts\n2\t3')"
head -c 12 "$T/ok.jsonl.zst" > "$T/cut.jsonl.zst"
expect_rc 2 "$AIQ" -t T="$T/cut.jsonl.zst" -q "$q"
err_has "cut.jsonl.zst: truncated zstd file"
[ ! -s "$T/out" ] || die "partial output on error"
{ cat "$T/ok.jsonl.zst"; printf 'garbage after the frame'; } > "$T/tail.jsonl.zst"
expect_rc 2 "$AIQ" -t T="$T/tail.jsonl.zst" -q "$q"
err_has "tail.jsonl.zst: corrupt zstd data"
# zstd detected by magic number, whatever the name
cp "$T/ok.jsonl.zst" "$T/renamed.jsonl"
expect_rc 0 "$AIQ" -t T="$T/renamed.jsonl" -o tsv -q "$q"
expect_out "n
2"
# a directory of files, one unreadable when not root
mkdir -p "$T/dir/sub"
printf '{"a":1}\n' > "$T/dir/one.jsonl"
printf '{"a":2}\n' > "$T/dir/sub/two.ndjson"
printf 'not logs\n' > "$T/dir/notes.txt"
expect_rc 2 "$AIQ" -t T="$T/dir" -o tsv -q 'T | summarize s = sum(a)'
err_has "dir/notes.txt: not JSON lines (no line is a JSON object): it looks like plain text"
rm "$T/dir/notes.txt"
expect_rc 0 "$AIQ" -t T="$T/dir" -o tsv -q 'T | summarize s = sum(a)'
expect_out "s
3"
mkdir -p "$T/empty_dir" # (a table without rows: empty_tables.sh)
expect_rc 0 "$AIQ" -t T="$T/empty_dir" -o tsv -q 'T | count'
expect_out "$(printf 'Count\n0')"
# a path that is a FIFO
mkfifo "$T/fifo.jsonl"
( printf '{"a":5}\n' > "$T/fifo.jsonl" & )
expect_rc 0 "$AIQ" -t T="$T/fifo.jsonl" -o tsv -q 'T | summarize s = sum(a)'
expect_out "s
5"
# stdin
printf '{"a":7}\n{"a":8}\n' | "$AIQ" -t T=- -o tsv -q 'T | summarize s = sum(a)' > "$T/out" 2>"$T/err" || die "stdin failed"
expect_out "s
15"
# a top-level JSON array and a pretty-printed {"records": [...]} export
printf '[{"a":1},\n {"a":2}]\n' > "$T/arr.json"
expect_rc 0 "$AIQ" -t T="$T/arr.json" -o tsv -q 'T | summarize s = sum(a)'
expect_out "s
3"
printf '{\n "records": [\n  {"a": 4},\n  {"a": 5}\n ]\n}\n' > "$T/rec.json"
expect_rc 0 "$AIQ" -t T="$T/rec.json" -o tsv -q 'T | summarize s = sum(a)'
expect_out "s
9"
# objects nested 100000 deep: jansson's depth limit turns them into malformed lines
i=0; deep=''; while [ $i -lt 3000 ]; do deep="$deep{\"a\":"; i=$((i+1)); done
printf '%s1' "$deep" > "$T/deep.jsonl"
i=0; while [ $i -lt 3000 ]; do printf '}' >> "$T/deep.jsonl"; i=$((i+1)); done
printf '\n{"a":1}\n' >> "$T/deep.jsonl"
expect_rc 0 "$AIQ" -t T="$T/deep.jsonl" -o tsv -q "$q"
expect_out "n
1"
err_has "1 malformed line skipped"
# a 100 MB single line works
python3 -c 'import sys; sys.stdout.write("{\"s\":\"" + "x" * 100000000 + "\"}\n")' > "$T/big.jsonl" 2>/dev/null ||
  awk 'BEGIN { printf "{\"s\":\""; for (i = 0; i < 1000000; i++) printf "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; printf "\"}\n" }' > "$T/big.jsonl"
expect_rc 0 "$AIQ" -t T="$T/big.jsonl" -o tsv -q 'T | project n = strlen(s)'
expect_out "n
100000000"
# duplicate keys: the last value wins (as jansson, and the scanner must agree)
printf '{"a":[1],"a":"x","b":1}\n{"a":"y","b":2,"b":3}\n' > "$T/dup.jsonl"
expect_rc 0 "$AIQ" -t T="$T/dup.jsonl" -o ndjson -q 'T'
expect_out '{"a":"x","b":1}
{"a":"y","b":3}'
# escapes and surrogate pairs decode as in jansson
printf '{"s":"a\\u00e9\\ud83d\\ude00\\n\\"q\\""}\n' > "$T/esc.jsonl"
expect_rc 0 "$AIQ" -t T="$T/esc.jsonl" -o ndjson -q 'T | extend n = strlen(s)'
expect_out '{"s":"aé😀\n\"q\"","n":7}'
# objects nested 100000 deep are a counted skip, not a stack overflow
i=0; deep=''; while [ $i -lt 1000 ]; do deep="$deep[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["; i=$((i+1)); done
printf '{"a":%s\n{"a":1}\n' "$deep" > "$T/deep2.jsonl"
expect_rc 0 "$AIQ" -t T="$T/deep2.jsonl" -o tsv -q "$q"
expect_out "n
1"
# a file that grows while it is read: aiq reads what is there when it opens it
printf '{"a":1}\n' > "$T/grow.jsonl"
( i=0; while [ $i -lt 200 ]; do printf '{"a":1}\n' >> "$T/grow.jsonl"; i=$((i+1)); done ) &
expect_rc 0 "$AIQ" -t T="$T/grow.jsonl" -o tsv -q "$q"
wait
grep -qE '^[0-9]+$' "$T/out" || tail -1 "$T/out" | grep -qE '^[0-9]+$' || die "no count for a growing file"
# a directory holding an unreadable entry (a dangling link): an error naming it
mkdir -p "$T/dir2"
printf '{"a":1}\n' > "$T/dir2/ok.jsonl"
ln -s /nonexistent/gone.jsonl "$T/dir2/gone.jsonl"
expect_rc 2 "$AIQ" -t T="$T/dir2" -q "$q"
err_has "gone.jsonl: No such file or directory"
[ ! -s "$T/out" ] || die "partial output on error"
