# aiq schema writes column and table names that are not plain identifiers, or that
# Kusto reads as keywords, as ['name'] (escapes inside), so its output reads back with
# --schema -- and loads into Kusto. Nonsense --max-memory sizes are usage errors.
. tests/cli/lib.sh
N="--now 2026-01-01T00:00:00Z"
printf '%s\n' '{"odd name":1,"it'"'"'s":"a","where":true,"Level":"x","1st":2,"a.b":3,"back\\slash":4,"true":5,"ok_1":6,"名前":"n","tab\there":7}' > "$T/x.jsonl"
cp "$T/x.jsonl" "$T/my-logs.jsonl"
expect_rc 0 "$AIQ" $N -t X="$T/x.jsonl" schema X
expect_out ".create table X (['odd name']:long, ['it\\'s']:string, ['where']:bool, Level:string, ['1st']:long, ['a.b']:long, ['back\\\\slash']:long, ['true']:long, ok_1:long, ['名前']:string, ['tab\\there']:long)"
# it reads back: the declared schema is the same, and a column is found by its name
"$AIQ" $N -t X="$T/x.jsonl" schema X > "$T/schema.kql" || die "schema failed"
expect_rc 0 "$AIQ" $N --schema "$T/schema.kql" -t X="$T/x.jsonl" schema X
[ "$(cat "$T/out")" = "$(cat "$T/schema.kql")" ] || die "read back differs: $(cat "$T/out")"
expect_rc 0 "$AIQ" $N --schema "$T/schema.kql" -t X="$T/x.jsonl" -o ndjson -q "X | project ['it\\'s'], ['back\\\\slash'], ['tab\\there'], ['odd name']"
expect_out "{\"it's\":\"a\",\"back\\\\slash\":4,\"tab\\there\":7,\"odd name\":1}"
# a table name that is not an identifier is quoted the same way
expect_rc 0 "$AIQ" $N -t my-logs="$T/my-logs.jsonl" schema
out_has ".create table ['my-logs'] ("

# --max-memory: sizes that overflow or make no sense are usage errors
for bad in 1e30 99999999999T 0 0.5K -5M 5MM 1.5.2G G '' nan inf 0x10 ' 5M' 512; do
  expect_rc 2 "$AIQ" $N --max-memory "$bad" -q 'print a = 1'
  err_has "--max-memory expects a size such as 512M or 4G"
done
for good in 64M 1.5G 100MiB 2g 1048576; do
  expect_rc 0 "$AIQ" $N --max-memory "$good" -o csv --no-header -q 'print a = 1'
  expect_out 1
done
