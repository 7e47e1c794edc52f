# Directories of logs (CLI.md "Data"): -d DIR/NAME/ is every regular file in
# it (.log, rotated .1, .gz...), a file there that is not logs is an error
# naming it (never a silent skip), and walks visit each directory and file
# once, whatever symbolic links loop back.
. tests/cli/lib.sh
mkdir -p "$T/d/AppRequests/2026/11" "$T/d/Perf"
# (an empty DIR/Perf/ beside DIR/Perf.jsonl...: the table has their rows)
printf '{"n":1}\n{"n":2}\n' > "$T/d/AppRequests/app.log"
printf '{"n":3}\n' > "$T/d/AppRequests/app.log.1"
printf '{"n":4}\n' | gzip -c > "$T/d/AppRequests/app.log.2.gz"
printf '{"n":5}\n' | zstd -q -c > "$T/d/AppRequests/2026/11/PT1H.json.zst"
printf '{"n":6}\n' > "$T/d/AppRequests/.hidden.jsonl"
printf '{"c":1.5}\n' > "$T/d/Perf.jsonl.1"
printf '{"c":2.5}\n' | gzip -c > "$T/d/Perf.jsonl-20261121.gz"
printf 'not a table\n' > "$T/d/README"
q='AppRequests | summarize n = count(), s = sum(n)'
expect_rc 0 "$AIQ" -d "$T/d" -o tsv -q "$q"
expect_out "$(printf 'n\ts\n5\t15')"
expect_err ""
# top-level files: NAME.jsonl, compressed or rotated; other files are not tables
expect_rc 0 "$AIQ" -d "$T/d" -o tsv -q 'Perf | summarize n = count(), s = sum(c)'
expect_out "$(printf 'n\ts\n2\t4')"
expect_rc 1 "$AIQ" -d "$T/d" -q 'README | count'
err_has "unknown table 'README'"
# -t NAME=DIR and a directory argument take every regular file the same way
expect_rc 0 "$AIQ" -t A="$T/d/AppRequests" -o tsv -q 'A | summarize n = count(), s = sum(n)'
expect_out "$(printf 'n\ts\n5\t15')"
expect_rc 0 "$AIQ" -o tsv -q "$q" "$T/d/AppRequests"
expect_out "$(printf 'n\ts\n5\t15')"

# a file that is not logs is an error that names it (exit 2)
printf '2026-11-21 10:00:00 INFO started\n2026-11-21 10:00:01 WARN slow\n' > "$T/d/AppRequests/notes.txt"
expect_rc 2 "$AIQ" -d "$T/d" -o tsv -q "$q"
err_has "error: $T/d/AppRequests/notes.txt: not JSON lines (no line is a JSON object): it looks like plain text, starting \"2026-11-21 10:00:00 INFO started\""
[ ! -s "$T/out" ] || die "partial output: $(cat "$T/out")"
# ... whether the schema is inferred (a first pass) or declared (streamed)
printf '.create table AppRequests (n:long)\n' > "$T/s.kql"
expect_rc 2 "$AIQ" --schema "$T/s.kql" -d "$T/d" -o tsv -q "$q"
err_has "notes.txt: not JSON lines (no line is a JSON object): it looks like plain text"
# ... and however it is read (stdin is read whole)
expect_rc 2 "$AIQ" -t AppRequests=- -o tsv -q "$q" < "$T/d/AppRequests/notes.txt"
err_has "stdin: not JSON lines (no line is a JSON object): it looks like plain text"
rm "$T/d/AppRequests/notes.txt"
# only the tables a query names are read: a bad file elsewhere does not matter
printf 'garbage\n' > "$T/d/Perf.jsonl.2"
expect_rc 0 "$AIQ" -d "$T/d" -o tsv -q "$q"
expect_out "$(printf 'n\ts\n5\t15')"
rm "$T/d/Perf.jsonl.2"
# an empty directory is a table without rows (empty_tables.sh); an unreadable one is an
# error (when not root)
mkdir -p "$T/d/Empty"
expect_rc 0 "$AIQ" -d "$T/d" -o tsv -q 'Empty | count'
expect_out "$(printf 'Count\n0')"
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$T/d/AppRequests/locked" && chmod 000 "$T/d/AppRequests/locked"
  expect_rc 2 "$AIQ" -d "$T/d" -q "$q"
  err_has "locked: Permission denied"
  chmod 755 "$T/d/AppRequests/locked"
fi

# symbolic links: a loop back to an ancestor (a -> ..) or to the directory
# itself (a -> ., b -> .: exponential before) is walked once; a file reached
# twice is read once; a dangling link is an error naming it
ln -s .. "$T/d/AppRequests/2026/up"
ln -s . "$T/d/AppRequests/a"
ln -s . "$T/d/AppRequests/b"
ln -s app.log "$T/d/AppRequests/again.log"
timeout 20 "$AIQ" -d "$T/d" -o tsv -q "$q" > "$T/out" 2> "$T/err" || die "walk with loops: exit $?: $(cat "$T/err")"
expect_out "$(printf 'n\ts\n5\t15')"
ln -s "$T/d/AppRequests" "$T/d/Copy"
expect_rc 0 "$AIQ" -d "$T/d" -o tsv -q 'Copy | summarize n = count(), s = sum(n)'
expect_out "$(printf 'n\ts\n5\t15')"
ln -s "$T/nowhere.jsonl" "$T/d/AppRequests/gone.jsonl"
expect_rc 2 "$AIQ" -d "$T/d" -o tsv -q "$q"
err_has "AppRequests/gone.jsonl: No such file or directory (a dangling symbolic link?)"
