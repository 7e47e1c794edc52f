# What a file is comes from its first bytes, not its name (CLI.md "Input
# formats"): gzip (logrotate's default) streams like zstd; a file in which
# no line is a JSON object is an error (exit 2) saying what it looks like,
# never an empty table with exit 0.
. tests/cli/lib.sh
printf '{"a":1}\n{"a":2}\n{"a":3}\n' > "$T/plain.jsonl"
gzip -c "$T/plain.jsonl" > "$T/g.jsonl.gz"
q='T | summarize n = count(), s = sum(a)'
expected="$(printf 'n\ts\n3\t6')"
printf '.create table T (a:long)\n' > "$T/s.kql"
# gzip: by magic number, whatever the name; streamed (declared schema),
# inferred (a first pass), from stdin (read whole), with 1 and 2 threads
cp "$T/g.jsonl.gz" "$T/renamed.jsonl"
for f in g.jsonl.gz renamed.jsonl; do
  for how in "-j 1" "-j 2" "--schema $T/s.kql" "--schema $T/s.kql -j 2"; do
    # shellcheck disable=SC2086
    expect_rc 0 "$AIQ" $how -t T="$T/$f" -o tsv -q "$q"
    expect_out "$expected"
    expect_err ""
  done
  expect_rc 0 "$AIQ" -t T=- -o tsv -q "$q" < "$T/$f"
  expect_out "$expected"
done
# several gzip members one after another (cat a.gz b.gz) are one stream
cat "$T/g.jsonl.gz" "$T/g.jsonl.gz" > "$T/two.gz"
expect_rc 0 "$AIQ" -t T="$T/two.gz" -o tsv -q "$q"
expect_out "$(printf 'n\ts\n6\t12')"
# a large gzip file: more than one read block and one parse chunk
awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "{\"a\":%d,\"s\":\"some text to make the line longer\"}\n", i % 7 }' | gzip -c > "$T/big.gz"
for how in "-j 1" "-j 2" "--schema $T/s.kql -j 2"; do
  # shellcheck disable=SC2086
  expect_rc 0 "$AIQ" $how -t T="$T/big.gz" -o tsv -q "$q"
  expect_out "$(printf 'n\ts\n200000\t599997')"
done
# a truncated or corrupt gzip file is an error naming it
head -c 40 "$T/big.gz" > "$T/cut.gz"
for how in "" "--schema $T/s.kql"; do
  # shellcheck disable=SC2086
  expect_rc 2 "$AIQ" $how -t T="$T/cut.gz" -q "$q"
  err_has "cut.gz: truncated gzip file (the last member is incomplete)"
  [ ! -s "$T/out" ] || die "partial output on error"
done
expect_rc 2 "$AIQ" -t T=- -q "$q" < "$T/cut.gz"
err_has "stdin: truncated gzip file (the last member is incomplete)"
{ head -c -8 "$T/g.jsonl.gz"; printf '\001\002\003\004\030\000\000\000'; } > "$T/bad.gz" # a wrong CRC
expect_rc 2 "$AIQ" -t T="$T/bad.gz" -q "$q"
err_has "bad.gz: corrupt gzip data at byte"
err_has "incorrect data check"
{ cat "$T/g.jsonl.gz"; printf 'trailing garbage'; } > "$T/tail.gz"
expect_rc 2 "$AIQ" -t T="$T/tail.gz" -q "$q"
err_has "tail.gz: corrupt gzip data at byte"

# formats aiq does not read are named, by magic number
printf 'BZh91AY&SY' > "$T/x.bz2"
printf '\3757zXZ\000\000\004' > "$T/x.xz"
printf 'PAR1\025\004\025' > "$T/x.parquet"
printf 'PK\003\004\024\000' > "$T/x.zip"
for f in x.bz2:bzip2-compressed x.xz:xz-compressed x.parquet:Parquet x.zip:"zip archive"; do
  file=${f%%:*}
  expect_rc 2 "$AIQ" -t T="$T/$file" -q "$q"
  err_has "$file: a"
  err_has "${f#*:}"
  err_has "not JSON lines: aiq reads JSON lines, plain or compressed with zstd or gzip"
  expect_rc 2 "$AIQ" -t T=- -q "$q" < "$T/$file"
  err_has "${f#*:}"
done
# a file in which no line is a JSON object: what it looks like
printf '2026-11-21T10:00:00Z INFO model loaded\n2026-11-21T10:00:01Z WARN queue 12\n' > "$T/app.log"
printf 'time,level,msg\n2026-11-21,INFO,x\n' > "$T/t.csv"
printf '<html><body>502 Bad Gateway</body></html>\n' > "$T/t.html"
printf '{"a":1\n{"a":\n' > "$T/broken.jsonl"
printf '\000\001\002\003binary\377\376\n' > "$T/t.bin"
gzip -c "$T/app.log" > "$T/app.log.gz"
for f in "app.log:plain text, starting \"2026-11-21T10:00:00Z INFO model loaded\"" \
         "t.csv:CSV, starting \"time,level,msg\"" "t.html:XML or HTML" \
         "broken.jsonl:JSON, but not one object per line, starting \"{\"a\":1\" (first malformed line: " \
         "t.bin:binary data" "app.log.gz:gzip-compressed plain text"; do
  file=${f%%:*}
  for how in "" "--schema $T/s.kql" "-j 2"; do
    # shellcheck disable=SC2086
    expect_rc 2 "$AIQ" $how -t T="$T/$file" -q "$q"
    err_has "$file: not JSON lines (no line is a JSON object): it looks like ${f#*:}"
    [ ! -s "$T/out" ] || die "output for $file"
  done
done
# but a file with some JSON objects among bad lines is logs, with a count of the rest
printf 'starting up\n{"a":5}\n' > "$T/mixed.log"
expect_rc 0 "$AIQ" -t T="$T/mixed.log" -o tsv -q "$q"
expect_out "$(printf 'n\ts\n1\t5')"
err_has "mixed.log: 1 malformed line skipped (first at line 1"
printf '{"a":6,"s":"bad \377 byte"}\nnot json\n' > "$T/repaired.log" # (its object line goes through UTF-8 repair)
expect_rc 0 "$AIQ" -t T="$T/repaired.log" -o tsv -q "$q"
expect_out "$(printf 'n\ts\n1\t6')"
# and an empty file, or one of blank lines, is an empty table
: > "$T/empty.jsonl"
printf '\n\n' > "$T/blank.jsonl"
for f in empty.jsonl blank.jsonl; do
  expect_rc 0 "$AIQ" -t T="$T/$f" -o tsv -q 'T | count'
  expect_out "$(printf 'Count\n0')"
done
