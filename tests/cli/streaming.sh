# Declared tables stream in bounded memory: a file several times larger than
# --max-memory is counted and filtered within the limit, and so is the same data
# from stdin without a declaration (copied to a temporary file to be read
# twice); loaded whole for want of one, it stops with exit 4. take reads
# only what it needs. (k: 10j mod 7 over j = 0..14999 cycles 0,3,6,2,5,1,4 --
# 2142 cycles of 21 plus 0+3+6+2+5+1 = 44999.)
. tests/cli/lib.sh
awk 'BEGIN { for (i = 0; i < 150000; i++) printf "{\"a\":%d,\"code\":\"%s\",\"s\":\"%s\",\"p\":{\"k\":%d}}\n", i, (i % 10 == 0 ? "429" : "200"), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", i % 7 }' > "$T/big.jsonl"
size=$(wc -c < "$T/big.jsonl")
[ "$size" -gt 20000000 ] || die "test file too small: $size"
printf '.create table B (a:long, code:string, s:string, p:dynamic)\n' > "$T/s.kql"
expect_rc 0 "$AIQ" -j 1 --max-memory 12M --schema "$T/s.kql" -t B="$T/big.jsonl" -o tsv -q 'B | where code == "429" | summarize n = count(), m = max(a), k = sum(tolong(p.k))'
expect_out "$(printf 'n\tm\tk\n15000\t149990\t44999')"
# parallel parsing keeps a few chunks in flight per thread: still bounded
expect_rc 0 "$AIQ" -j 4 --max-memory 64M --schema "$T/s.kql" -t B="$T/big.jsonl" -o tsv -q 'B | where code == "429" | summarize n = count(), m = max(a), k = sum(tolong(p.k))'
expect_out "$(printf 'n\tm\tk\n15000\t149990\t44999')"
# stdin without a declaration is copied to a temporary file and streams too
# (tests/cli/stdin_spool.sh); without anywhere to copy it, it is loaded whole
# and that stops at the limit with exit 4
TMPDIR=$T expect_rc 0 "$AIQ" -j 1 --max-memory 12M -t B=- -o tsv -q 'B | count' < "$T/big.jsonl"
expect_out "$(printf 'Count\n150000')"
TMPDIR=/no/such/dir expect_rc 4 "$AIQ" --max-memory 12M -t B=- -o tsv -q 'B | count' < "$T/big.jsonl"
err_has "memory limit"
[ ! -s "$T/out" ] || die "partial output on error"
# without a declaration a file gets its types from a first pass, then streams too
expect_rc 0 "$AIQ" -j 1 --max-memory 12M -t B="$T/big.jsonl" -o tsv -q 'B | count'
expect_out "$(printf 'Count\n150000')"
# zstd streams too, and take stops early
zstd -q -c "$T/big.jsonl" > "$T/big.jsonl.zst"
expect_rc 0 "$AIQ" -j 1 --max-memory 12M --schema "$T/s.kql" -t B="$T/big.jsonl.zst" -o tsv -q 'B | take 3 | project a'
expect_out "$(printf 'a\n0\n1\n2')"
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/big.jsonl.zst" -o tsv -q 'B | count'
expect_out "$(printf 'Count\n150000')"
# found by fuzz_stream: a pretty-printed object after a blank first line is
# one JSON value, read whole as the non-streaming reader does
printf '\n{"a":1,\n "code":"429"}\n' > "$T/pretty.json"
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/pretty.json" -o tsv -q 'B | project a, code'
expect_out "$(printf 'a\tcode\n1\t429')"
# a dynamic column read only through constant keys keeps just those keys,
# but every form of access still sees the same values
printf '{"a":1,"code":"200","p":{"k":5,"big":[1,2,3],"n":{"x":1}}}\n{"a":2,"code":"429","p":{"k":"7","n":{"x":2}}}\n' > "$T/keys.jsonl"
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/keys.jsonl" -o tsv -q 'B | extend k = tolong(p.k), x = tolong(p["n"].x) | project a, k, x'
expect_out "$(printf 'a\tk\tx\n1\t5\t1\n2\t7\t2')"
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/keys.jsonl" -o ndjson -q 'B | where p.k == 5 | project p'
expect_out '{"p":{"k":5,"big":[1,2,3],"n":{"x":1}}}'
# Threads parse chunks in parallel but hand batches out in file order: the
# rows, their order and the reports (with line numbers counted across chunk
# edges) are the same for every -j. Broken lines sit deep in the file, one in
# a zstd copy, one with invalid UTF-8, and a misfit for the declared type.
awk 'BEGIN { for (i = 1; i <= 60000; i++) {
  if (i == 777) print "not json";
  else if (i == 41234) print "{\"a\":1,";
  else if (i == 50001) printf "{\"a\":%d,\"code\":\"bad \377 byte\",\"s\":\"x\"}\n", i;
  else if (i == 59999) printf "{\"a\":\"oops\",\"code\":\"200\",\"s\":\"x\"}\n";
  else printf "{\"a\":%d,\"code\":\"%d\",\"s\":\"%s\"}\n", i, i % 5, substr("abcdefghijklmnopqrstuvwxyz", 1 + i % 26) } }' > "$T/order.jsonl"
zstd -q -c "$T/order.jsonl" > "$T/order.jsonl.zst"
for f in order.jsonl order.jsonl.zst; do
  "$AIQ" -j 1 --schema "$T/s.kql" -t B="$T/$f" -o csv -q 'B | project a, code, s' > "$T/j1.csv" 2> "$T/j1.err" || die "-j 1 failed on $f"
  [ "$(wc -l < "$T/j1.csv")" -eq 59999 ] || die "-j 1 on $f: $(wc -l < "$T/j1.csv") lines"
  grep -qF "2 malformed lines skipped (first at line 777" "$T/j1.err" || die "-j 1 report on $f: $(cat "$T/j1.err")"
  grep -qF "1 line with invalid UTF-8" "$T/j1.err" || die "-j 1 UTF-8 report on $f: $(cat "$T/j1.err")"
  grep -qF "1 value did not fit the declared type and became null (first: column a:long at line 59999" "$T/j1.err" || die "-j 1 misfit report on $f: $(cat "$T/j1.err")"
  for j in 2 3 8; do
    "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/$f" -o csv -q 'B | project a, code, s' > "$T/jn.csv" 2> "$T/jn.err" || die "-j $j failed on $f"
    cmp -s "$T/j1.csv" "$T/jn.csv" || die "-j $j on $f: rows differ from -j 1"
    cmp -s "$T/j1.err" "$T/jn.err" || die "-j $j on $f: reports differ: $(cat "$T/jn.err")"
  done
done
# two files: a report for each file, rows in file order
cp "$T/order.jsonl" "$T/order2.jsonl"
expect_rc 0 "$AIQ" -j 3 --schema "$T/s.kql" -t B="$T/order*.jsonl" -o tsv -q 'B | summarize n = count()'
expect_out "$(printf 'n\n119996')"
err_has "order.jsonl: 2 malformed lines skipped (first at line 777"
err_has "order2.jsonl: 2 malformed lines skipped (first at line 777"
err_has "order2.jsonl: 1 line with invalid UTF-8"
expect_rc 0 "$AIQ" -j 3 --schema "$T/s.kql" -t B="$T/order*.jsonl" -o tsv -q 'B | take 2 | project a'
expect_out "$(printf 'a\n1\n2')"
# A dynamic column only carried to the result is kept as JSON text and
# parsed only for printing: spacing, number spelling and escapes in the input
# must print exactly as when the value is built (tostring(p) forces that).
printf '%s\n' '{"a":3,"code":"1","p":{ "k" : 1.50, "u":"\u00e9\"x", "n":[1e2, -0.0, {"z":null}] }}' \
  '{"a":1,"code":"2","p":[ ]}' '{"a":2,"code":"3","p":"plain"}' '{"a":4,"code":"4","p":null}' '{"a":5,"code":"5"}' \
  '{"a":6,"code":"6","p":{"k":2}, "s":"y"}' > "$T/text.jsonl"
for fmt in json csv; do
  expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/text.jsonl" -o $fmt -q 'B | top 10 by a asc | project a, p'
  cp "$T/out" "$T/text.out"
  expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/text.jsonl" -o $fmt -q 'B | extend t = tostring(p) | top 10 by a asc | project a, p'
  cmp -s "$T/out" "$T/text.out" || die "-o $fmt: text-kept dynamic prints differently: $(cat "$T/text.out") :: built: $(cat "$T/out")"
done
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/text.jsonl" -o ndjson -q 'B | top 1 by a asc | project p'
expect_out '{"p":[]}'
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/text.jsonl" -o ndjson -q 'B | where a == 3 | project p'
expect_out '{"p":{"k":1.5,"u":"é\"x","n":[100.0,-0.0,{"z":null}]}}'
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/text.jsonl" --explain -q 'B | top 10 by a | project a, p'
out_has "p as text"
# ordering and grouping by such a column still see values, not text
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/text.jsonl" -o tsv -q 'B | where a in (1, 6) | sort by tostring(p) asc | project a'
expect_out "$(printf 'a\n1\n6')"
# d["key"] read straight off a scan comes from the reader's key vectors (the
# object is not even built when nothing else reads it). Every shape of value
# must give what d["key"] gives on the built object, which an operator in
# between (sort) forces.
printf '%s\n' '{"a":1,"p":{"k":5,"t.x":"7"}}' '{"a":2,"p":{"k":"five"}}' '{"a":3,"p":{"k":null}}' \
  '{"a":4,"p":{"q":1}}' '{"a":5,"p":{"k":{"n":[1,2]}}}' '{"a":6,"p":{"k":1,"k":2.5}}' \
  '{"a":7,"p":"{\"k\":8}"}' '{"a":8,"p":"not json"}' '{"a":9,"p":[1,2]}' '{"a":10,"p":3}' '{"a":11,"p":null}' \
  '{"a":12}' '{"a":13,"p":{"k\u0041":1,"kA":2,"k":"\u00e9"}}' 'broken {' '{"a":14,"p":{"k":[{"x":1}],"t.x":1e400}}' \
  '{"a":15,"p":{ "k" : true , "t.x" : -0.0 }}' > "$T/kv.jsonl"
for j in 1 2; do
  "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/kv.jsonl" -o ndjson -q 'B | where a > 0 | extend k = p["k"], kl = tolong(p.k), ks = tostring(p["k"]), tx = p["t.x"], ka = p.kA | project a, k, kl, ks, tx, ka' > "$T/direct.out" 2>&1 || die "key vectors -j $j: $(cat "$T/direct.out")"
  "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/kv.jsonl" -o ndjson -q 'B | sort by a asc | extend k = p["k"], kl = tolong(p.k), ks = tostring(p["k"]), tx = p["t.x"], ka = p.kA | project a, k, kl, ks, tx, ka' > "$T/built.out" 2>&1 || die "built -j $j: $(cat "$T/built.out")"
  cmp -s "$T/direct.out" "$T/built.out" || die "-j $j: key vectors differ from d[key] on built values: $(diff "$T/direct.out" "$T/built.out")"
done
grep -q '"a":7,"k":8,"kl":8' "$T/direct.out" || die "a JSON object in a string: $(cat "$T/direct.out")"
grep -q '"a":6,"k":2.5' "$T/direct.out" || die "a repeated key: the last wins: $(cat "$T/direct.out")"
# Workers number a chunk's lines from its start and the reader puts them
# in place as it takes chunks in order: a first bad line deep in a file
# (several chunks in), and the --strict error there, name the same line for
# every -j, over two files in a row (numbering starts again in the second).
awk 'BEGIN { for (i = 1; i <= 60000; i++) { if (i == 50000) print "{oops"; else printf "{\"a\":%d,\"code\":\"x\",\"s\":\"yyyyyyyyyyyyyy\"}\n", i } }' > "$T/deep.jsonl"
cp "$T/deep.jsonl" "$T/deep2.jsonl"
for j in 1 2 3; do
  expect_rc 0 "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/deep*.jsonl" -o tsv -q 'B | count'
  expect_out "$(printf 'Count\n119998')"
  [ "$(grep -c 'deep2*.jsonl: 1 malformed line skipped (first at line 50000' "$T/err")" -eq 2 ] || die "-j $j: deep bad line: $(cat "$T/err")"
  expect_rc 2 "$AIQ" -j $j --strict --schema "$T/s.kql" -t B="$T/deep.jsonl" -q 'B | count'
  err_has "deep.jsonl:50000: malformed line (--strict)"
  expect_rc 2 "$AIQ" -j $j --strict -t B="$T/deep.jsonl" -q 'B | count'
  err_has "deep.jsonl:50000: malformed line (--strict)"
done
# Conversions of d["key"] alone read the reader's cells, kind by kind,
# without making dynamic values: every conversion over every shape of value
# must give what it gives on built values.
printf '%s\n' '{"a":1,"p":{"k":"1376","x":2366}}' '{"a":2,"p":{"k":" 42 ","x":"3.7"}}' '{"a":3,"p":{"k":"true","x":true}}' \
  '{"a":4,"p":{"k":"2026-01-01T00:00:00Z","x":false}}' '{"a":5,"p":{"k":"01:00:00","x":0}}' '{"a":6,"p":{"k":3.7,"x":-2}}' \
  '{"a":7,"p":{"k":1.0,"x":1e300}}' '{"a":8,"p":{"k":"","x":null}}' '{"a":9,"p":{"k":[1],"x":{"y":1}}}' \
  '{"a":10,"p":{"x":"0"}}' '{"a":11,"p":"{\"k\":\"5\"}"}' '{"a":12,"p":{"k":9223372036854775807,"x":"-0"}}' \
  '{"a":13,"p":{"k":"1e3","x":"FALSE"}}' '{"a":14,"p":{"k":2147483648,"x":"0x10"}}' > "$T/conv.jsonl"
conv='extend kl = tolong(p.k), ki = toint(p["k"]), ks = tostring(p["k"]), kr = todouble(p.k), kb = tobool(p.k), kd = todatetime(p["k"]), kt = totimespan(p["k"]), xl = tolong(p.x), xs = tostring(p.x), xr = toreal(p.x), xb = toboolean(p.x), xt = totime(p.x) | project-away p'
for f in kv conv; do
  for j in 1 2; do
    "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/$f.jsonl" -o ndjson -q "B | where a > 0 | $conv" > "$T/direct.out" 2>&1 || die "cells $f -j $j: $(cat "$T/direct.out")"
    "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/$f.jsonl" -o ndjson -q "B | sort by a asc | $conv" > "$T/built.out" 2>&1 || die "built $f -j $j: $(cat "$T/built.out")"
    cmp -s "$T/direct.out" "$T/built.out" || die "$f -j $j: conversions of cells differ from built values: $(diff "$T/direct.out" "$T/built.out")"
  done
done
grep -qF '"a":1,"code":"","s":"","kl":1376,"ki":1376,"ks":"1376"' "$T/direct.out" || die "a numeric string: $(head -1 "$T/direct.out")"
# summarize and where read them too (rows 1 2 5 6 7 13 14 15 have a k: 5 + 2 + 8 + 1;
# row 14's 1e400 is kept, as null in the object); the object itself is still there when output
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/kv.jsonl" -o tsv -q 'B | where isnotnull(p.k) | summarize n = count(), s = sum(tolong(p["k"]))'
expect_out "$(printf 'n\ts\n8\t16')"
expect_rc 0 "$AIQ" --schema "$T/s.kql" -t B="$T/kv.jsonl" -o ndjson -q 'B | where tolong(p.k) == 8 | project a, p'
expect_out '{"a":7,"p":"{\"k\":8}"}'
# A top over a streaming scan tells the reader its current N-th key, and the
# reader drops rows that could not enter. Same rows as sorting everything:
# ties (the earlier row wins), nulls, a key given twice in a line (the last
# wins), keys that are strings, ints in a real column, for -j 1 and 3.
awk 'BEGIN { for (i = 1; i <= 30000; i++) {
  v = (i * 7919) % 1000;
  if (i % 97 == 0) printf "{\"a\":%d,\"code\":\"x\",\"r\":null}\n", i;
  else if (i % 101 == 0) printf "{\"a\":%d,\"code\":\"x\",\"r\":\"%d.5\"}\n", i, v;
  else if (i % 103 == 0) printf "{\"a\":%d,\"r\":1,\"code\":\"x\",\"r\":%d.25}\n", i, v + 1000;
  else if (i % 2) printf "{\"a\":%d,\"code\":\"x\",\"r\":%d}\n", i, v;
  else printf "{\"a\":%d,\"code\":\"x\",\"r\":%d.5}\n", i, v } }' > "$T/top.jsonl"
printf '.create table B (a:long, code:string, s:string, p:dynamic, r:real)\n' > "$T/top.kql"
for j in 1 3; do
  for q in 'top 25 by r' 'top 25 by r asc' 'top 7 by a desc' 'top 40 by r desc nulls first' 'top 5 by r asc nulls last'; do
    by=${q#top * by }; n=${q#top }; n=${n%% *}
    "$AIQ" -j $j --schema "$T/top.kql" -t B="$T/top.jsonl" -o csv -q "B | $q" > "$T/top.out" 2> "$T/top.err" || die "$q: $(cat "$T/top.err")"
    "$AIQ" -j $j --schema "$T/top.kql" -t B="$T/top.jsonl" -o csv -q "B | sort by $by | take $n" > "$T/sort.out" 2> "$T/top.err" || die "sort for $q: $(cat "$T/top.err")"
    cmp -s "$T/top.out" "$T/sort.out" || die "-j $j '$q' differs from sort + take: $(diff "$T/top.out" "$T/sort.out" | head -5)"
  done
done
# The conjuncts `column op constant` of a where straight over a streaming
# scan are tested by the reader, which drops rows they are false for. The
# same where behind an extend (so not straight over the scan) is the
# reference: nulls, missing keys, strings in number columns, ints in a real
# column, dates that do not parse, escaped strings, a key given twice,
# constants on either side, every operator, -j 1 and 3.
printf '.create table W (n:long, x:real, t:datetime, s:string)\n' > "$T/w.kql"
awk 'BEGIN { for (i = 1; i <= 20000; i++) {
  if (i % 89 == 0) printf "{\"n\":%d,\"x\":null,\"t\":\"not a date\",\"s\":\"a\\\"b\"}\n", i;
  else if (i % 83 == 0) printf "{\"n\":\"%d\",\"s\":\"x\"}\n", i;
  else if (i % 79 == 0) printf "{\"n\":%d,\"x\":5,\"x\":%d.5,\"t\":\"2026-11-20T%02d:00:00Z\",\"s\":\"dup\"}\n", i, i % 50, i % 24;
  else printf "{\"n\":%d,\"x\":%s,\"t\":\"2026-11-20T%02d:%02d:00Z\",\"s\":\"%s\"}\n", i, (i % 2 ? i % 50 : (i % 50) ".25"), i % 24, i % 60, (i % 3 ? "abc" : "ab") } }' > "$T/w.jsonl"
for j in 1 3; do
  for w in 'x > 20' 'x >= 20.25' '20 > x' 'x < 7 and n >= 100' 'x <= 3' 'x == 11' 'x != 11' 'n == 4242' 'n != 5' '100 <= n and n < 200' \
           's == "abc"' 's != "abc"' 's == "a\"b"' 't > datetime(2026-11-20T20:00:00Z)' 't <= datetime(2026-11-20T03:30:00Z) and s == "ab"'; do
    "$AIQ" -j $j --schema "$T/w.kql" -t W="$T/w.jsonl" -o csv -q "W | where $w" > "$T/w1.out" 2> "$T/w.err" || die "where $w: $(cat "$T/w.err")"
    "$AIQ" -j $j --schema "$T/w.kql" -t W="$T/w.jsonl" -o csv -q "W | extend k_ = 1 | where $w | project-away k_" > "$T/w2.out" 2> "$T/w.err" || die "reference where $w: $(cat "$T/w.err")"
    cmp -s "$T/w1.out" "$T/w2.out" || die "-j $j 'where $w' differs when the reader tests it: $(diff "$T/w1.out" "$T/w2.out" | head -5)"
    [ "$(wc -l < "$T/w1.out")" -gt 1 ] || die "where $w: no rows, a weak test"
  done
done
