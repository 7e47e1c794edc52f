# Undeclared tables get their schema from a first pass over their files and
# then stream; stdin cannot be read twice, so it is loaded whole. Both ways
# must give the same schema, rows and reports, on every bundled file and on
# inputs where the types are only settled late: a key first met several
# chunks in, ints turning real, dates meeting a non-date, records exports,
# top-level arrays, byte order marks, CRLF, escaped keys, broken lines;
# files over 1 MB are mapped rather than read when one thread parses.
. tests/cli/lib.sh
d="$T/in"; mkdir -p "$d"
awk 'BEGIN { for (i = 1; i <= 60000; i++) {
  printf "{\"n\":%d,\"t\":\"2026-11-20T00:00:%02dZ\",\"s\":\"%s\"", i, i % 60, substr("abcdefghij", 1 + i % 10);
  if (i > 55000) printf ",\"late\":%s", (i % 2 ? "1" : "\"x\"");
  if (i == 59999) printf ",\"n2\":1.5";
  if (i == 60000) printf ",\"t\":\"not a date\"";
  if (i == 40000) printf ",\"n2\":7";
  print "}" } }' > "$d/late.jsonl"
[ "$(wc -c < "$d/late.jsonl")" -gt 1600000 ] || die "late.jsonl too small to span chunks"
printf '\357\273\277{"a":1}\r\n{"a":2.5,"b\\u0041":true}\r\n\r\nnot json\n{"c":{"x":[1]}}\n' > "$d/mixed.jsonl"
printf '{"records":[{"r":1,"q":"2026-01-01"},{"r":2,"q":"2026-01-02"}]}\n' > "$d/records.json"
printf '[{"a":1},\n {"a":"two","z":null}]\n' > "$d/array.json"
printf '{"only":null}\n{"only":null}\n' > "$d/nulls.jsonl"
# over 1 MB, so -j 1 maps them (the other runs read them)
awk 'BEGIN { printf "["; for (i = 1; i <= 40000; i++) printf "%s{\"i\":%d,\"v\":\"%s\"}", (i > 1 ? ",\n" : ""), i, substr("abcdefghijklmnop", 1 + i % 16); print "]" }' > "$d/big_array.json"
{ printf '\357\273\277'; sed -n '1,20000p' "$d/late.jsonl"; } > "$d/big_bom.jsonl"
cp testdata/*.jsonl testdata/*.zst "$d/"
for f in "$d"/* testdata/AzureDiagnostics/*; do
  "$AIQ" schema -t T="$f" > "$T/pass.schema" 2> "$T/pass.err" || die "schema of $f failed: $(cat "$T/pass.err")"
  "$AIQ" schema -t T=- < "$f" > "$T/whole.schema" 2> "$T/whole.err" || die "schema of stdin $f failed"
  cmp -s "$T/pass.schema" "$T/whole.schema" || die "$f: first pass $(cat "$T/pass.schema") :: whole load $(cat "$T/whole.schema")"
  for j in 1 2; do
    "$AIQ" -j $j -t T="$f" -o ndjson -q 'T' > "$T/pass.out" 2> "$T/pass.err" || die "query of $f failed: $(cat "$T/pass.err")"
    "$AIQ" -j $j -t T=- -o ndjson -q 'T' < "$f" > "$T/whole.out" 2> "$T/whole.err" || die "query of stdin $f failed"
    cmp -s "$T/pass.out" "$T/whole.out" || die "$f -j $j: rows differ between first pass + stream and whole load"
    # reports name the file or '-'; otherwise they must agree
    sed "s|$f|FILE|g" "$T/pass.err" > "$T/a"; sed 's|aiq: stdin:|aiq: FILE:|g' "$T/whole.err" > "$T/b"
    cmp -s "$T/a" "$T/b" || die "$f -j $j: reports differ: $(cat "$T/a") :: $(cat "$T/b")"
  done
done
expect_rc 0 "$AIQ" schema -t T="$d/late.jsonl"
expect_out '.create table T (n:long, t:string, s:string, n2:real, late:dynamic)'
# the first pass is what --explain shows too: the table streams
expect_rc 0 "$AIQ" -t T="$d/late.jsonl" --explain -q 'T | count'
out_has "scan T"
