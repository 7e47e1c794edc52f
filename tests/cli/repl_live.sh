# The REPL as a person uses it, on a real terminal (tmux: send-keys, capture-pane):
# now() is read per query (.now TIME pins it, .now off unpins it); Ctrl-C at a
# continuation prompt throws the half-typed query away; a table whose file grew, or was
# replaced by log rotation, is read again before the next query.
. tests/cli/lib.sh
. tests/cli/tmux_lib.sh
export XDG_STATE_HOME="$T/state"
# wait_prompt N: until the Nth primary prompt is on the screen
wait_prompt() { wait_lines '^aiq>' "$1"; }
# run_query TEXT: types a query and the empty line that runs it (a trailing ';'
# would be taken by tmux as its own command separator)

printf '{"v":1}\n{"v":2}\n' > "$T/grow.jsonl"
tm new-session -d -x 160 -y 50 "$AIQ -t G=$T/grow.jsonl; echo aiq-exited-\$?; sleep 30"
wait_prompt 1
type_line '.format csv'
wait_prompt 2

# now() follows the clock, read when each query starts
before=$(date -u +%Y-%m-%dT%H:%M:%S)
run_query 'print mark = "n1", t = now()'
wait_prompt 3
sleep 1.2
run_query 'print mark = "n2", t = now()'
wait_prompt 4
after=$(date -u +%Y-%m-%dT%H:%M:%S)
t1=$(screen | sed -n 's/^n1,//p')
t2=$(screen | sed -n 's/^n2,//p')
[ -n "$t1" ] && [ -n "$t2" ] || die "now() results missing: $(screen)"
[ "$t1" != "$t2" ] || die "now() frozen across queries: $t1"
# ISO 8601 texts of the same width compare as times
[ "$(printf '%s\n%.19s\n%.19s\n%s\n' "$before" "$t1" "$t2" "$after" | sort | tr '\n' ' ')" = "$before ${t1%%.*} ${t2%%.*} $after " ] ||
  die "now() is not the clock: $before <= $t1 < $t2 <= $after"
# .now TIME pins, .now off follows the clock again
type_line '.now 2030-01-01T00:00:00Z'
wait_prompt 5
run_query 'print mark = "p", t = now()'
wait_for 'p,2030-01-01T00:00:00Z'
type_line '.now off'
run_query 'print mark = "u", t = now()'
wait_prompt 8
t3=$(screen | sed -n 's/^u,//p')
case "$t3" in "$(date -u +%Y)"-*) ;; *) die ".now off did not unpin: u,$t3";; esac

# Ctrl-C at the continuation prompt throws away the lines typed so far
type_line 'print mark = "half"'
wait_lines '^\.\.\.>' 1
type_line '| extend x = 1'
wait_lines '^\.\.\.>' 2
tm send-keys C-c
wait_lines '^\.\.\.> ^C$' 1
run_query 'print mark = "after"'
wait_for 'after'
if screen | grep -q '^half'; then die "the discarded query ran: $(screen)"; fi
if screen | grep -q 'error'; then die "the discarded lines were kept: $(screen)"; fi
# Ctrl-C on a half-typed single line too
tm send-keys -l 'print mark = "typed"'
wait_lines '^aiq> print mark = "typed"$' 1 # the terminal drops unread input at Ctrl-C
tm send-keys C-c
wait_lines '^aiq> print mark = "typed"^C$' 1
run_query 'print mark = "clean"'
wait_for 'clean'
if screen | grep -q '^typed'; then die "the half-typed line ran: $(screen)"; fi

# a growing log: appended lines appear in the next query, new columns too
run_query 'G | summarize n = count(), s = sum(v)'
wait_for '2,3'
printf '{"v":10,"w":"new"}\n' >> "$T/grow.jsonl"
run_query 'G | summarize n = count(), s = sum(v), w = countif(w == "new")'
wait_for '3,13,1'
# rotation: the file replaced by another of the same size and time (only the inode differs)
printf '{"v":7}\n{"v":8}\n{"v":900,"w":"ro"}\n' > "$T/rotated.jsonl"
touch -r "$T/grow.jsonl" "$T/rotated.jsonl"
[ "$(wc -c < "$T/rotated.jsonl")" -eq "$(wc -c < "$T/grow.jsonl")" ] || die "the rotated file should be the same size"
mv "$T/rotated.jsonl" "$T/grow.jsonl"
run_query 'G | summarize n = count(), s = sum(v), w = countif(w == "ro")'
wait_for '3,915,1'
# .tables shows the file as it is now: its size, the rows held, and that lines were appended
printf '{"v":1}\n' >> "$T/grow.jsonl"
type_line '.tables'
wait_lines "^G  *$T/grow.jsonl  *$(wc -c < "$T/grow.jsonl") B  *3 rows, 2 of 2 columns in memory (.*); lines appended since, for the next query\$" 1
# and a file rewritten in place, not grown: its rows are to be read again
printf '{"v":2}\n' > "$T/grow.jsonl"
type_line '.tables'
wait_lines "^G  *$T/grow.jsonl  *$(wc -c < "$T/grow.jsonl") B  *not read yet\$" 1
# Ctrl-C while a query runs stops it and keeps the session
run_query 'range x from 1 to 4000000000 step 1 | summarize n = count()'
sleep 0.5
tm send-keys C-c
wait_lines 'query cancelled' 1
run_query 'print mark = "alive"'
wait_for 'alive'
type_line '.quit'
wait_for 'aiq-exited-0'
