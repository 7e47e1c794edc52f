# --output FILE (CLI.md): the result is written to a temporary file beside FILE and renamed
# into place, so a reader sees the old file or the whole new one; a failing query leaves FILE
# as it was and nothing behind; the new file gets the mode a shell redirection would give it.
. tests/cli/lib.sh
printf '{"a":1,"s":"x"}\n{"a":2,"s":"y"}\n' > "$T/t.jsonl"
mkdir "$T/www"
out=$T/www/status.csv

# a first result creates the file, with 0666 less the umask (no 0600 of a temporary file)
(umask 022 && "$AIQ" -t T="$T/t.jsonl" -o csv --output "$out" -q 'T | project a') > "$T/stdout" 2> "$T/err" ||
  die "--output failed: $(cat "$T/err")"
[ ! -s "$T/stdout" ] || die "--output also wrote to stdout: $(cat "$T/stdout")"
[ "$(cat "$out")" = "$(printf 'a\n1\n2')" ] || die "--output wrote: $(cat "$out")"
[ "$(stat -c %a "$out")" = 644 ] || die "mode $(stat -c %a "$out") under umask 022, want 644"
rm "$out"
(umask 027 && "$AIQ" -t T="$T/t.jsonl" -o csv --output "$out" -q 'T | project a') || die "--output under umask 027 failed"
[ "$(stat -c %a "$out")" = 640 ] || die "mode $(stat -c %a "$out") under umask 027, want 640"

# the file is replaced by a rename (a new inode), never rewritten in place, and keeps the mode
# it was given
chmod 604 "$out"
inode=$(stat -c %i "$out")
expect_rc 0 "$AIQ" -t T="$T/t.jsonl" -o csv --output "$out" -q 'T | project s'
[ "$(cat "$out")" = "$(printf 's\nx\ny')" ] || die "the second result: $(cat "$out")"
[ "$(stat -c %i "$out")" != "$inode" ] || die "the file was rewritten in place, not renamed into place"
[ "$(stat -c %a "$out")" = 604 ] || die "the replaced file's mode 604 became $(stat -c %a "$out")"

# a query that fails (in the query, or reading its input mid-way) leaves the file as it was,
# and no temporary file beside it
good=$(cat "$out")
expect_rc 1 "$AIQ" -t T="$T/t.jsonl" -o csv --output "$out" -q 'T | project nosuch'
[ "$(cat "$out")" = "$good" ] || die "a query error changed the file: $(cat "$out")"
printf '{"a":3}\n{"a":\n' > "$T/bad.jsonl"
expect_rc 2 "$AIQ" --strict -t T="$T/bad.jsonl" -o csv --output "$out" -q 'T | project a'
err_has "malformed line (--strict)"
[ "$(cat "$out")" = "$good" ] || die "an input error changed the file: $(cat "$out")"
expect_rc 1 "$AIQ" -o csv --output "$T/www/new.csv" -q 'print x = 1 | project y'
[ ! -e "$T/www/new.csv" ] || die "a failed query created the file"
[ "$(ls -A "$T/www")" = status.csv ] || die "files left behind: $(ls -A "$T/www")"

# --fail-on-rows: exit 3 with the rows in the file; a file always gets the whole rendering
expect_rc 3 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o csv --output "$out" -q 'T | where a > 1 | project a'
[ "$(cat "$out")" = "$(printf 'a\n2')" ] || die "--fail-on-rows --output wrote: $(cat "$out")"
expect_rc 0 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o csv --output "$out" -q 'T | where a > 5 | project a'
[ "$(cat "$out")" = a ] || die "an empty result under --fail-on-rows wrote: $(cat "$out") (want the header)"

# --explain goes to the file too; - is stdout
expect_rc 0 "$AIQ" -t T="$T/t.jsonl" --explain --output "$T/www/plan.txt" -q 'T | count'
grep -q 'scan T' "$T/www/plan.txt" || die "--explain --output wrote: $(cat "$T/www/plan.txt")"
expect_rc 0 "$AIQ" -o csv --output - -q 'print x = 7'
expect_out "$(printf 'x\n7')"

# a symbolic link is followed: its target is replaced and the link stays
ln -s status.csv "$T/www/link.csv"
expect_rc 0 "$AIQ" -o csv --output "$T/www/link.csv" -q 'print via = "link"'
[ -L "$T/www/link.csv" ] || die "the link was replaced by a file"
[ "$(cat "$out")" = "$(printf 'via\nlink')" ] || die "the link's target holds: $(cat "$out")"

# a file that cannot be written is exit 2, saying why
expect_rc 2 "$AIQ" -o csv --output "$T/nodir/x.csv" -q 'print x = 1'
err_has "cannot write $T/nodir/x.csv: No such file or directory"
expect_rc 2 "$AIQ" -o csv --output "$T/www" -q 'print x = 1'
err_has "Is a directory"
if [ "$(id -u)" != 0 ]; then
  chmod 555 "$T/www"
  expect_rc 2 "$AIQ" -o csv --output "$out" -q 'print x = 1'
  err_has "Permission denied"
  chmod 755 "$T/www"
fi
expect_rc 2 "$AIQ" --output '' -q 'print x = 1'
err_has "--output expects a file name"
