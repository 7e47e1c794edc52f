# aiq schema prints tables as .create table commands; types are inferred from every row.
. tests/cli/lib.sh
printf '{"t":"2026-11-21T10:00:00Z","n":1,"r":1,"b":true,"s":"x","d":{"k":1},"m":1}\n{"t":"2026-11-21T11:00:00+02:00","n":2,"r":2.5,"b":false,"s":"2026-11-21","d":[1],"m":"one","z":null}\n' > "$T/x.jsonl"
expect_rc 0 "$AIQ" -t X="$T/x.jsonl" schema X
expect_out '.create table X (t:datetime, n:long, r:real, b:bool, s:string, d:dynamic, m:dynamic, z:string)'
expect_rc 0 "$AIQ" -d testdata schema AppRequests
out_has '.create table AppRequests (TimeGenerated:datetime, Id:string'
expect_rc 2 "$AIQ" -d testdata schema NoSuch
err_has "unknown table 'NoSuch'"
# a declared type that values do not fit: null, counted and reported
printf '.create table Y (n:long, s:string)\n' > "$T/y.kql"
printf '{"n":1,"s":"a"}\n{"n":"abc","s":"b"}\n{"n":2.5,"s":3}\n' > "$T/y.jsonl"
expect_rc 0 "$AIQ" --schema "$T/y.kql" -t Y="$T/y.jsonl" -o ndjson -q 'Y'
expect_out '{"n":1,"s":"a"}
{"n":null,"s":"b"}
{"n":null,"s":"3"}'
err_has 'Y: 2 values did not fit the declared type and became null (first: column n:long at line 2: "abc")'
