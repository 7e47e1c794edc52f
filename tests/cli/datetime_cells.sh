# Datetimes read into their column as the line is read (io/jsonl_scan.c scan_datetime:
# a plain datetime string in a column a schema types datetime is parsed where it lies, once,
# and never copied): every other shape still goes through the table's conversion, which
# reports what does not fit. Same values with a declared schema, a guessed one, a where
# pushed into the reader, and at -j 1/2.
. tests/cli/lib.sh
printf '%s\n' \
  '{"t":"2026-11-20T10:00:00Z","u":"2026-11-20T10:00:00.1234567Z","n":1}' \
  '{"t":"2026-11-20T12:00:00+02:00","u":" 2026-11-20T10:00:01Z","n":2}' \
  '{"t":"2026-11-20T10\u003a00:02Z","u":"2026-11-20 10:00:03","n":3}' \
  '{"t":"not a date","u":"2026-11-20T10:00:04Z","n":4}' \
  '{"t":null,"n":5}' \
  '{"t":"2026-11-20T10:00:05Z","u":17,"n":6}' > "$T/d.jsonl"
echo '.create table d (t:datetime, u:datetime, n:long)' > "$T/s.kql"
table_want='n,t,u
1,2026-11-20T10:00:00Z,2026-11-20T10:00:00.1234567Z
2,2026-11-20T10:00:00Z,2026-11-20T10:00:01Z
3,2026-11-20T10:00:02Z,2026-11-20T10:00:03Z
4,,2026-11-20T10:00:04Z
5,,
6,2026-11-20T10:00:05Z,'
for j in 1 2; do
  expect_rc 0 "$AIQ" -j $j --schema "$T/s.kql" -t "$T/d.jsonl" -o csv -q 'd | project n, t, u'
  expect_out "$table_want"
  err_has 'aiq: d: 2 values did not fit the declared type and became null (first: column t:datetime at line 4: "not a date")'
  # a where on the datetime, judged in the reader on the parsed value
  expect_rc 0 "$AIQ" -j $j --schema "$T/s.kql" -t "$T/d.jsonl" -o csv -q 'd | where t > datetime(2026-11-20T10:00:01Z) | project n'
  expect_out "$(printf 'n\n3\n6')"
  expect_rc 0 "$AIQ" -j $j --schema "$T/s.kql" -t "$T/d.jsonl" -o csv -q 'd | where u between (datetime(2026-11-20T10:00:00.5Z) .. datetime(2026-11-20T10:00:03Z)) | project n'
  expect_out "$(printf 'n\n2\n3')"
done

# guessed: every t and u a timestamp, verified as read; lines with a bad UTF-8 byte are
# repaired into one reused buffer, and each keeps its own values
{
  for i in 0 1 2 3 4 5 6 7 8 9; do
    printf '{"s":"x\377","t":"2026-11-20T10:00:0%sZ","u":"2026-11-21T11:00:0%sZ","n":%s}\n' $i $i $i
    printf '{"t":"2026-11-20T10:01:0%sZ","s":"y\376","u":"2026-11-21T11:01:0%sZ","n":%s}\n' $i $i $((i + 10))
  done
} > "$T/g.jsonl"
for j in 1 2; do
  XDG_CACHE_HOME="$T/cache$j" "$AIQ" -j $j -t "$T/g.jsonl" -o csv -q 'g | getschema | project ColumnName, ColumnType' > "$T/out" 2>"$T/err" || die "getschema failed: $(cat "$T/err")"
  expect_out "$(printf 'ColumnName,ColumnType\ns,string\nt,datetime\nu,datetime\nn,long')"
  XDG_CACHE_HOME="$T/cache$j" "$AIQ" -j $j -t "$T/g.jsonl" -o csv --no-header -q 'g | where n in (3, 17) | project n, t, u' > "$T/out" 2>"$T/err" || die "project failed: $(cat "$T/err")"
  expect_out "$(printf '3,2026-11-20T10:00:03Z,2026-11-21T11:00:03Z\n17,2026-11-20T10:01:07Z,2026-11-21T11:01:07Z')"
  XDG_CACHE_HOME="$T/cache$j" "$AIQ" -j $j -t "$T/g.jsonl" -o csv --no-header -q 'g | summarize c = count(), lo = min(t), hi = max(u)' > "$T/out" 2>"$T/err" || die "summarize failed: $(cat "$T/err")"
  expect_out '20,2026-11-20T10:00:00Z,2026-11-21T11:01:09Z'
done

# guessed, plain lines: verifying parses each timestamp, and the value's scan takes that
# parse (date_at) instead of parsing again
for i in 0 1 2 3 4 5 6 7 8 9; do
  printf '{"t":"2026-11-20T10:00:0%sZ","n":%s,"u":"2026-11-21T11:00:0%s.5Z"}\n' $i $i $i
done > "$T/p.jsonl"
for j in 1 2; do
  XDG_CACHE_HOME="$T/pcache$j" "$AIQ" -j $j -t "$T/p.jsonl" -o csv --no-header -q 'p | where n in (0, 9) | project n, t, u' > "$T/out" 2>"$T/err" || die "project failed: $(cat "$T/err")"
  expect_out "$(printf '0,2026-11-20T10:00:00Z,2026-11-21T11:00:00.5Z\n9,2026-11-20T10:00:09Z,2026-11-21T11:00:09.5Z')"
  XDG_CACHE_HOME="$T/pcache$j" "$AIQ" -j $j -t "$T/p.jsonl" -o csv --no-header -q 'p | summarize min(t), max(u)' > "$T/out" 2>"$T/err" || die "summarize failed: $(cat "$T/err")"
  expect_out '2026-11-20T10:00:00Z,2026-11-21T11:00:09.5Z'
done
