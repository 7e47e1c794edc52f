# Ctrl-C while the REPL reads a table (issue 16.6): the read stops between
# blocks and lines, says so, and the session goes on. The table is a pipe a
# writer keeps feeding, slowly: its load would never end by itself, so only
# the cancel can bring the prompt back. (The bound is generous, for ASan and
# TSan; the promise is half a second.)
. tests/cli/lib.sh
. tests/cli/tmux_lib.sh
export XDG_STATE_HOME="$T/state" XDG_CACHE_HOME="$T/cache"
mkfifo "$T/pipe"
# a writer that never stops (until the test ends): ~30k short lines a second
( while :; do printf '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n'; done > "$T/pipe" ) 2>/dev/null &
writer=$!
trap 'kill $writer 2>/dev/null; for s in "$T"/tmux*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$T"' EXIT
printf '{"k":1}\n{"k":2}\n{"k":3}\n' > "$T/small.jsonl"
tm new-session -d -x 120 -y 30 "$AIQ -t T=$T/pipe -t Small=$T/small.jsonl; sleep 30"
wait_lines '^aiq>' 1
run_query 'T | count'
wait_lines 'first pass\|read' 1   # the progress line: it is reading
sleep 0.3
start=$(date +%s)
tm send-keys C-c
wait_lines 'reading cancelled' 1
[ $(( $(date +%s) - start )) -le 10 ] || die "Ctrl-C took more than 10 s to stop the load"
# the session goes on: another table answers
run_query 'Small | summarize s = sum(k)'
wait_lines '^ *6$' 1
exit 0
