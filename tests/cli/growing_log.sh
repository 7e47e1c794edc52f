# Logs as they are written (issue 20.4), on the command line. The last line of a log that
# has no newline yet and stops inside a JSON value is the writer's line in progress: it is
# left for the next read with a note, not counted malformed, and not a --strict failure,
# however the file is read (small and read, large and mapped, one thread or several, types
# declared or inferred; stdin and compressed files too). A last line that is complete but
# lacks its newline is read; one that is not JSON at any length is malformed. A log
# truncated in place while a query reads it (copytruncate) is read again.
. tests/cli/lib.sh
printf '.create table T (a:long, s:string)\n' > "$T/schema.kql"
# small (read in blocks) and large (mapped: over 1 MB)
printf '{"a":1}\n{"a":2}\n{"a":3,"s":"hal' > "$T/small.jsonl"
awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "{\"a\":%d,\"s\":\"%s\"}\n", i, "padding to make it longer" }' > "$T/large.jsonl"
printf '{"a":7,"s":"unfin' >> "$T/large.jsonl"
for f in small large; do
  answer=$( [ $f = small ] && echo 2,3 || echo 40000,800020000)
  for schema in "--schema $T/schema.kql" ""; do
    for j in 1 4; do
      # shellcheck disable=SC2086
      expect_rc 0 "$AIQ" --strict -j $j $schema -t T="$T/$f.jsonl" -o csv -q 'T | summarize n = count(), s = sum(a)'
      expect_out "$(printf 'n,s\n%s' "$answer")"
      err_has "$f.jsonl: the last line is not finished yet ("
      err_has " bytes, no newline): left for the next read"
      [ "$(grep -c . "$T/err")" = 1 ] || die "$f $schema -j $j: one note, not: $(cat "$T/err")"
    done
  done
done
# the note gives the bytes left: '{"a":3,"s":"hal' is 15
expect_rc 0 "$AIQ" -t T="$T/small.jsonl" -o csv -q 'T | count'
expect_err "aiq: $T/small.jsonl: the last line is not finished yet (15 bytes, no newline): left for the next read"
# the writer finishes the line: the next run takes it
printf 'f"}\n' >> "$T/small.jsonl"
expect_rc 0 "$AIQ" --strict -t T="$T/small.jsonl" -o csv -q 'T | summarize n = count(), s = sum(a)'
expect_out "$(printf 'n,s\n3,6')"
expect_err ""
# a complete last line without its newline is a row, not a line in progress
printf '{"a":1}\n{"a":2}' > "$T/done.jsonl"
expect_rc 0 "$AIQ" --strict -t T="$T/done.jsonl" -o csv -q 'T | summarize n = count(), s = sum(a)'
expect_out "$(printf 'n,s\n2,3')"
expect_err ""
# a file holding nothing but a line in progress is a table without rows yet
printf '{"a":1,"s' > "$T/only.jsonl"
expect_rc 0 "$AIQ" --strict --schema "$T/schema.kql" -t T="$T/only.jsonl" -o csv -q 'T | count'
expect_out "$(printf 'Count\n0')"
err_has "only.jsonl: the last line is not finished yet (9 bytes, no newline)"
# the same rule whatever the input: piped through stdin, or compressed
printf '{"a":1}\n{"a":2,"s":"cut' > "$T/cut.jsonl"
expect_rc 0 "$AIQ" --strict -t T=- -o csv -q 'T | count' < "$T/cut.jsonl"
expect_out "$(printf 'Count\n1')"
expect_err "aiq: stdin: the last line is not finished yet (15 bytes, no newline): left for the next read"
gzip -c "$T/cut.jsonl" > "$T/cut.jsonl.gz"
expect_rc 0 "$AIQ" --strict -t T="$T/cut.jsonl.gz" -o csv -q 'T | count'
expect_out "$(printf 'Count\n1')"
err_has "cut.jsonl.gz: the last line is not finished yet (15 bytes"
# a last line that is not JSON at any length (a stray print) is malformed, as any other line
printf '{"a":1}\nModel loaded' > "$T/stray.jsonl"
expect_rc 2 "$AIQ" --strict -t T="$T/stray.jsonl" -o csv -q 'T | count'
err_has "stray.jsonl:2: malformed line (--strict)"

# copytruncate under a running query: the log is emptied in place once aiq has mapped it
# (seen in /proc/PID/maps) and the writer goes on; the run reads it again, says so, and
# answers from the log as it is now (exit 0, not a crash: SIGBUS on the vanished pages)
awk 'BEGIN { for (i = 1; i <= 150000; i++) printf "{\"a\":%d,\"s\":\"%s\"}\n", i, "abcdefghijabcdefghijabcdefghij" }' > "$T/big.jsonl"
q='T | summarize n = count(), w = sum(array_length(extract_all(@"(\w)", s)))'
for schema in "--schema $T/schema.kql" ""; do
  cp "$T/big.jsonl" "$T/app.log"
  # shellcheck disable=SC2086
  "$AIQ" -j 1 $schema -t T="$T/app.log" -o csv -q "$q" > "$T/out" 2> "$T/err" &
  pid=$!
  i=0
  until grep -q "$T/app.log" "/proc/$pid/maps" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 2000 ] || die "aiq never mapped the log"; sleep 0.01
  done
  cp "$T/app.log" "$T/app.log.1"
  printf '{"a":1,"s":"ab"}\n{"a":2,"s":"c"}\n' > "$T/app.log" # (emptied and written at once)
  wait $pid || die "copytruncate under a run ($schema): exit $?: $(cat "$T/err")"
  # the answer is of the file as it is after the rotation (read the instant it was empty, it
  # has no rows), never of the old contents
  case $(tr '\n' ' ' < "$T/out") in "n,w 2,3 " | "n,w 0,0 ") ;; *) die "after copytruncate: $(cat "$T/out")" ;; esac
  # (declared, the slow run has the file mapped when it is emptied; undeclared, the quick
  # first pass may be over by then, and the run reads the new file from the start)
  if [ -n "$schema" ]; then
    err_has "the files of T changed while they were read"
    err_has "reading them again"
  fi
done
