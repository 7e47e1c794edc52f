# A result that cannot be written is an error (exit 2, a message on stderr), never a
# silent success: a full disk, a closed stdout, in every command that prints. A reader
# that leaves early (`| head -1`) is not an error: aiq stops writing and ends quietly
# with the exit code the query earned (0, or 3 with --fail-on-rows).
. tests/cli/lib.sh
[ -w /dev/full ] || die "/dev/full is needed"
printf '{"a":1}\n{"a":2}\n' > "$T/t.jsonl"
printf 'print a = 1\n' > "$T/q.kql"
# to_full ARGS...: runs aiq with stdout on /dev/full; stderr in $T/err, status in $rc
to_full() { "$AIQ" "$@" > /dev/full 2> "$T/err"; rc=$?; }
to_closed() { "$AIQ" "$@" 2> "$T/err" >&-; rc=$?; }
want_write_error() {
  [ "$rc" -eq 2 ] || die "exit $rc, want 2 ($1): $(cat "$T/err")"
  grep -qF "$2" "$T/err" || die "stderr lacks '$2' ($1): $(cat "$T/err")"
}
to_full -q 'print a = 1'; want_write_error "small result" "No space left on device"
to_full -o csv -q 'range x from 1 to 100000 step 1'; want_write_error "large result" "No space left on device"
to_full --fail-on-rows -q 'print a = 1'; want_write_error "--fail-on-rows" "No space left on device"
to_full --explain -q 'print a = 1'; want_write_error "--explain" "No space left on device"
to_full -t T="$T/t.jsonl" schema; want_write_error "schema" "No space left on device"
to_full check --explain "$T/q.kql"; want_write_error "check --explain" "No space left on device"
to_full --help; want_write_error "--help" "No space left on device"
to_full --version; want_write_error "--version" "No space left on device"
to_closed -q 'print a = 1'; want_write_error "closed stdout" "Bad file descriptor"
# a data file opened while stdout is closed must not take its place
to_closed -t T="$T/t.jsonl" -q 'T'; want_write_error "closed stdout, data file" "Bad file descriptor"
cmp -s "$T/t.jsonl" - <<'X' || die "the data file was changed"
{"a":1}
{"a":2}
X
# a reader that leaves early: quiet, and the query's own exit code
{ "$AIQ" --now 2026-01-01T00:00:00Z -o csv --no-header -q 'range x from 1 to 300000 step 1' 2> "$T/err"; echo $? > "$T/rc"; } | head -1 > "$T/out"
[ "$(cat "$T/out")" = 1 ] || die "head saw: $(cat "$T/out")"
[ "$(cat "$T/rc")" -eq 0 ] || die "exit $(cat "$T/rc") when the reader left early, want 0"
[ ! -s "$T/err" ] || die "a reader leaving early is not an error: $(cat "$T/err")"
{ "$AIQ" --now 2026-01-01T00:00:00Z --fail-on-rows -o csv -q 'range x from 1 to 300000 step 1' 2> "$T/err"; echo $? > "$T/rc"; } | head -1 > /dev/null
[ "$(cat "$T/rc")" -eq 3 ] || die "exit $(cat "$T/rc") for --fail-on-rows when the reader left early, want 3"
[ ! -s "$T/err" ] || die "a reader leaving early is not an error: $(cat "$T/err")"
