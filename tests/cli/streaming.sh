# Declared tables stream in bounded memory: a file several times larger than
# --max-memory is counted and filtered within the limit, while the same file
# without a declaration (its types come from every row, so it is loaded
# whole) stops with exit 4. take reads only what it needs. (k: 10j mod 7 over
# j = 0..14999 cycles 0,3,6,2,5,1,4 -- 2142 cycles of 21 plus 0+3+6+2+5+1 = 44999.)
. tests/cli/lib.sh
awk 'BEGIN { for (i = 0; i < 150000; i++) printf "{\"a\":%d,\"code\":\"%s\",\"s\":\"%s\",\"p\":{\"k\":%d}}\n", i, (i % 10 == 0 ? "429" : "200"), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", i % 7 }' > "$T/big.jsonl"
size=$(wc -c < "$T/big.jsonl")
[ "$size" -gt 20000000 ] || die "test file too small: $size"
printf '.create table B (a:long, code:string, s:string, p:dynamic)\n' > "$T/s.kql"
expect_rc 0 "$AIQ" --max-memory 12M --schema "$T/s.kql" -t B="$T/big.jsonl" -o tsv -q 'B | where code == "429" | summarize n = count(), m = max(a), k = sum(tolong(p.k))'
expect_out "$(printf 'n\tm\tk\n15000\t149990\t44999')"
expect_rc 4 "$AIQ" --max-memory 12M -t B="$T/big.jsonl" -o tsv -q 'B | count'
err_has "memory limit"
[ ! -s "$T/out" ] || die "partial output on error"
# zstd streams too, and take stops early
zstd -q -c "$T/big.jsonl" > "$T/big.jsonl.zst"
expect_rc 0 "$AIQ" --max-memory 12M --schema "$T/s.kql" -t B="$T/big.jsonl.zst" -o tsv -q 'B | take 3 | project a'
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
