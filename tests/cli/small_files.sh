# A directory of many small files (hourly archives: each over the size
# that is mapped, under one chunk) is read through the reader's reserved
# region, several files' pages given back at once: every row counted once
# and in file order, each file's malformed line reported with its own path
# and line, at any thread count, with and without a schema.
. tests/cli/lib.sh
mkdir "$T/d"
# 40 files of 1,500 lines (~110 KB); n numbers the lines of all of them
awk -v dir="$T/d" 'BEGIN {
  for (f = 0; f < 40; f++) {
    path = sprintf("%s/h%02d.jsonl", dir, f)
    for (i = 0; i < 1500; i++) {
      n = f * 1500 + i
      if (f == 17 && i == 4) print "{\"n\": broken" > path
      else printf "{\"n\":%d,\"t\":\"2026-11-21T%02d:%02d:00Z\",\"msg\":\"a line of some length, as logs have\"}\n", n, f % 24, i % 60 > path
    }
    close(path)
  }
}'
total=$((40 * 1500 - 1))
sum=$(awk 'BEGIN { s = 0; for (n = 0; n < 60000; n++) if (n != 17 * 1500 + 4) s += n; print s }')
printf '.create table H (n:long, t:datetime, msg:string)\n' > "$T/s.kql"
for j in 1 2 4; do
  for schema in "--schema $T/s.kql" ""; do
    # shellcheck disable=SC2086 # (the schema option is two words, or none)
    expect_rc 0 "$AIQ" -j $j $schema -t H="$T/d" -o tsv -q 'H | summarize c = count(), s = sum(n), lo = min(n), hi = max(n)'
    expect_out "$(printf 'c\ts\tlo\thi\n%s\t%s\t0\t59999' "$total" "$sum")"
    err_has "h17.jsonl: 1 malformed line skipped (first at line 5: "
    [ "$(grep -c 'malformed' "$T/err")" -eq 1 ] || die "-j $j: one file reported: $(cat "$T/err")"
    # the rows come in file order: each row's n is the one before it, plus one
    # (past the malformed line: plus two)
    # shellcheck disable=SC2086
    expect_rc 0 "$AIQ" -j $j $schema -t H="$T/d" -o csv -q 'H | project n'
    awk -F, 'NR > 1 { want = prev + 1; if (prev == 17 * 1500 + 3) want++; if (NR > 2 && $1 != want) { print "row " NR ": " $1 " after " prev; exit 1 } prev = $1 }' "$T/out" ||
      die "-j $j $schema: rows out of file order"
  done
done
