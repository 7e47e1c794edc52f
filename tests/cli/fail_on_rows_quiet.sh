# --fail-on-rows with no rows prints nothing on stdout in the formats whose empty result is
# a header alone (table, csv, tsv, markdown): cron mails whatever a job prints, and a header
# every minute would mail every run. json keeps its [] (a document a reader parses); with
# rows, every format prints as always; without --fail-on-rows the header stays.
. tests/cli/lib.sh
printf '{"a":1}\n{"a":2}\n' > "$T/t.jsonl"
for fmt in table csv tsv markdown; do
  expect_rc 0 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o $fmt -q 'T | where a > 5'
  [ ! -s "$T/out" ] || die "-o $fmt printed for no rows under --fail-on-rows: $(cat "$T/out")"
  expect_rc 3 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o $fmt -q 'T | where a > 1'
  out_has a
  out_has 2
  expect_rc 0 "$AIQ" -t T="$T/t.jsonl" -o $fmt -q 'T | where a > 5'
  out_has a
done
expect_rc 0 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o json -q 'T | where a > 5'
expect_out '[]'
expect_rc 0 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o ndjson -q 'T | where a > 5'
expect_out ''
# an aggregate answers one row, so it prints (and fires)
expect_rc 3 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o csv -q 'T | where a > 5 | count'
expect_out "$(printf 'Count\n0')"
