# Numbers the reader must not lose (CLI.md "Type inference"): an integer
# beyond 64 bits or a number beyond double's range is a real (inf for
# overflow) and its row is kept.
. tests/cli/lib.sh
# numbers beyond range: top-level values, values in the same line as
# escaped keys (jansson's path), inside a dynamic value, in a whole-file
# array and an Azure {"records": [...]} export
printf '%s\n' '{"id":1,"x":1e309}' '{"id":2,"x":-1e400}' '{"id":3,"x":12345678901234567890}' \
  '{"id":4,"x":-99999999999999999999999}' '{"id":5,"x":1.5}' '{"id":6,"x":7}' \
  '{"id":7,"x":1e309,"k\u0041":1}' '{"id":8,"x":2,"d":{"big":123456789012345678901,"inf":1e999,"l":[1e400,3]}}' \
  '{"id":9,"x":1e-400}' > "$T/num.jsonl"
printf '.create table T (id:long, x:real, d:dynamic)\n' > "$T/s.kql"
expected='{"id":1,"x":"Infinity"}
{"id":2,"x":"-Infinity"}
{"id":3,"x":1.2345678901234567e+19}
{"id":4,"x":-1e+23}
{"id":5,"x":1.5}
{"id":6,"x":7}
{"id":7,"x":"Infinity"}
{"id":8,"x":2}
{"id":9,"x":0}'
for how in "-j 1" "-j 2" "--schema $T/s.kql" "--schema $T/s.kql -j 2"; do
  # shellcheck disable=SC2086
  expect_rc 0 "$AIQ" $how -t T="$T/num.jsonl" -o ndjson -q 'T | project id, x'
  expect_out "$expected"
  expect_err ""
done
expect_rc 0 "$AIQ" -t T=- -o ndjson -q 'T | project id, x' < "$T/num.jsonl"
expect_out "$expected"
# the column is real; inside a dynamic value a big integer is a real and
# an overflow null (a dynamic value holds no inf: todynamic(real(+inf)) is null)
expect_rc 0 "$AIQ" -t T="$T/num.jsonl" -o ndjson -q 'T | getschema | project ColumnName, ColumnType'
expect_out '{"ColumnName":"id","ColumnType":"long"}
{"ColumnName":"x","ColumnType":"real"}
{"ColumnName":"kA","ColumnType":"long"}
{"ColumnName":"d","ColumnType":"dynamic"}'
for how in "" "--schema $T/s.kql"; do
  # shellcheck disable=SC2086
  expect_rc 0 "$AIQ" $how -t T="$T/num.jsonl" -o ndjson -q 'T | where id == 8 | project d, b = todouble(d.big)'
  expect_out '{"d":{"big":1.2345678901234568e+20,"inf":null,"l":[null,3]},"b":1.2345678901234568e+20}'
done
expect_rc 0 "$AIQ" -t T="$T/num.jsonl" -o tsv -q 'T | where isinf(x) | summarize n = count(), pos = countif(x > 0)'
expect_out "$(printf 'n\tpos\n3\t2')"
printf '[{"id":1,"x":1e309},{"id":2,"x":98765432109876543210}]\n' > "$T/arr.json"
printf '{"records":[{"id":1,"x":-1e309},{"id":2,"x":5}]}\n' > "$T/rec.json"
expect_rc 0 "$AIQ" -t T="$T/arr.json" -o ndjson -q 'T | project id, x'
expect_out '{"id":1,"x":"Infinity"}
{"id":2,"x":9.876543210987654e+19}'
expect_rc 0 "$AIQ" -t T="$T/rec.json" -o ndjson -q 'T | project id, x'
expect_out '{"id":1,"x":"-Infinity"}
{"id":2,"x":5}'
