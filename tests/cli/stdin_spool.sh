# stdin and pipes without a declared schema (issue 18.1): copied to an unnamed temporary file as
# they arrive and read like a file (a first pass for types, then the query), so memory stays
# bounded -- under --max-memory 40M, 60 MB on stdin answers, where the rows used to be held
# whole -- and the answer is the file's, byte for byte. Messages still name stdin or the pipe;
# nothing is left in TMPDIR; without a usable TMPDIR the rows are held in memory as before.
. tests/cli/lib.sh
command -v python3 >/dev/null || die "python3 is needed to make the rows"
export XDG_CACHE_HOME="$T/cache"
python3 tests/data/gen_cache_rows.py 350000 "$T/rows.jsonl"
[ "$(wc -c < "$T/rows.jsonl")" -gt 40000000 ] || die "the rows should be over 40 MB: $(wc -c < "$T/rows.jsonl")"
Q='T | summarize c = count(), s = sum(n), d = dcount(code), a = round(avg(dur), 6) by role | order by role asc'
expect_rc 0 "$AIQ" -o csv -q "$Q" -t T="$T/rows.jsonl"
cp "$T/out" "$T/want.csv"
mkdir "$T/tmp"
# stdin, in bounded memory, nothing left behind
TMPDIR=$T/tmp "$AIQ" --max-memory 40M -o csv -q "$Q" -t T=- < "$T/rows.jsonl" > "$T/out" 2> "$T/err" ||
  die "stdin without a schema under --max-memory 40M failed: $(cat "$T/err")"
cmp -s "$T/out" "$T/want.csv" || die "stdin's answer differs from the file's: $(diff "$T/want.csv" "$T/out" | head -5)"
[ -z "$(ls -A "$T/tmp")" ] || die "a temporary file was left in TMPDIR: $(ls -A "$T/tmp")"
# a pipe given as a path (process substitution, a named pipe): the same
mkfifo "$T/fifo"
cat "$T/rows.jsonl" > "$T/fifo" &
TMPDIR=$T/tmp "$AIQ" --max-memory 40M -o csv -q "$Q" -t T="$T/fifo" > "$T/out" 2> "$T/err" ||
  die "a named pipe without a schema failed: $(cat "$T/err")"
wait
cmp -s "$T/out" "$T/want.csv" || die "the named pipe's answer differs from the file's"
# messages name stdin and the pipe, with the line number in the input
{ head -3 "$T/rows.jsonl"; echo '{"role": oops}'; sed -n 4,10p "$T/rows.jsonl"; } > "$T/bad.jsonl"
TMPDIR=$T/tmp "$AIQ" -q 'T | count' -t T=- < "$T/bad.jsonl" > "$T/out" 2> "$T/err" || die "a bad line on stdin failed: $(cat "$T/err")"
err_has "aiq: stdin: 1 malformed line skipped (first at line 4"
cat "$T/bad.jsonl" > "$T/fifo" &
TMPDIR=$T/tmp "$AIQ" -q 'T | count' -t T="$T/fifo" > "$T/out" 2> "$T/err" || die "a bad line in a pipe failed: $(cat "$T/err")"
wait
err_has "aiq: $T/fifo: 1 malformed line skipped (first at line 4"
out_has "10"
# --timing says what was read: the copy, once (types guessed from its first rows, guess.c)
TMPDIR=$T/tmp "$AIQ" --timing -q 'T | count' -t T=- < "$T/bad.jsonl" > "$T/out" 2> "$T/err"
err_has "read T: 1 file"
# no usable TMPDIR: held in memory, as before, and the same answer
TMPDIR=$T/none "$AIQ" -o csv -q "$Q" -t T=- < "$T/rows.jsonl" > "$T/out" 2> "$T/err" ||
  die "stdin without a TMPDIR failed: $(cat "$T/err")"
cmp -s "$T/out" "$T/want.csv" || die "stdin's answer without a TMPDIR differs from the file's"
# a declared schema still reads stdin once, without a copy
printf '.create table T (role:string, n:long)\n' > "$T/schema.kql"
TMPDIR=$T/none "$AIQ" --schema "$T/schema.kql" -o csv -q 'T | summarize sum(n)' -t T=- < "$T/rows.jsonl" > "$T/out" 2> "$T/err" ||
  die "stdin with a schema failed: $(cat "$T/err")"
