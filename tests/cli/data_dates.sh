# Dates without a time of day are not datetimes (CLI.md "Type inference"):
# "2024-08-06" (API and model versions, day labels) infers as a string; a
# column is datetime only when every value has a time of day.
. tests/cli/lib.sh
# dates: a column is datetime only when every value has a time of day
printf '%s\n' '{"api_version":"2024-08-06","model_version":"2024-05-13","day":"2026-11-21","ts":"2026-11-21T09:48:46Z","at":"2026-11-21 09:48"}' \
  '{"api_version":"2024-10-21","model_version":"2024-11-20","day":"2026-11-22","ts":"2026-11-21T10:00:00.5+01:00","at":"2026-11-21 10:00:01"}' > "$T/dates.jsonl"
expect_rc 0 "$AIQ" -t T="$T/dates.jsonl" -o ndjson -q 'T | getschema | project ColumnName, ColumnType'
expect_out '{"ColumnName":"api_version","ColumnType":"string"}
{"ColumnName":"model_version","ColumnType":"string"}
{"ColumnName":"day","ColumnType":"string"}
{"ColumnName":"ts","ColumnType":"datetime"}
{"ColumnName":"at","ColumnType":"datetime"}'
# so the values print as they were written, and compare as strings
expect_rc 0 "$AIQ" -t T="$T/dates.jsonl" -o ndjson -q 'T | where api_version == "2024-08-06" | project api_version, day, ts'
expect_out '{"api_version":"2024-08-06","day":"2026-11-21","ts":"2026-11-21T09:48:46Z"}'
# a declared datetime column still takes a date alone (todatetime does)
printf '.create table T (day:datetime)\n' > "$T/d.kql"
expect_rc 0 "$AIQ" --schema "$T/d.kql" -t T="$T/dates.jsonl" -o ndjson -q 'T | project day'
expect_out '{"day":"2026-11-21T00:00:00Z"}
{"day":"2026-11-22T00:00:00Z"}'
# one date without a time among timestamps makes the column a string
printf '%s\n' '{"t":"2026-11-21T09:00:00Z"}' '{"t":"2026-11-21"}' > "$T/mixed.jsonl"
expect_rc 0 "$AIQ" -t T="$T/mixed.jsonl" -o ndjson -q 'T | getschema | project ColumnType'
expect_out '{"ColumnType":"string"}'
