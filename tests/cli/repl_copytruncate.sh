# Logs as they are written, under the REPL on a terminal (tmux): logrotate's copytruncate
# empties the log in place (a copy goes to .1) and the writer carries on; the next query reads
# the log again with a note saying why, and the session goes on. A line the writer has not
# finished (no newline yet, not valid JSON yet) waits for the next read with a note, and is
# taken once finished; it is not a malformed line. A log that starts empty answers with nulls
# until its first rows, which then bring their own types.
. tests/cli/lib.sh
. tests/cli/tmux_lib.sh
export XDG_STATE_HOME="$T/state" XDG_CACHE_HOME="$T/cache"

log=$T/app.log
i=0
while [ $i -lt 3000 ]; do echo "{\"v\":$i,\"level\":\"info\"}"; i=$((i + 1)); done > "$log"
printf '{"v":1,"level":"err' >> "$log" # the writer is mid-line
tm new-session -d -x 200 -y 50 "$AIQ -t App=$log; echo aiq-exited-\$?; sleep 30"
wait_lines '^aiq>' 1
type_line '.format csv'
run_query 'App | summarize n = count(), s = sum(v)'
wait_for '3000,4498500'
wait_lines "app.log: the last line is not finished yet (19 bytes, no newline): left for the next read" 1
screen | grep -q 'malformed' && die "an unfinished line was counted malformed: $(screen)"
# the writer finishes the line: the next query takes it
printf 'or"}\n' >> "$log"
run_query 'App | summarize n = count(), s = sum(v), e = countif(level == "error")'
wait_for '3001,4498501,1'
# copytruncate: copy to .1, empty in place; the writer goes on appending to the same file
cp "$log" "$log.1"
: > "$log"
printf '{"v":5,"level":"info"}\n{"v":6,"level":"error"}\n' >> "$log"
run_query 'App | summarize n = count(), s = sum(v), e = countif(level == "error")'
wait_for '2,11,1'
wait_lines "app.log was truncated (log rotation with copytruncate?): reading it again" 1
# and a rotation that moves the file away and starts a new one
mv "$log" "$log.2"
printf '{"v":100,"level":"info"}\n' > "$log"
run_query 'App | summarize n = count(), s = sum(v)'
wait_for '1,100'
wait_lines "app.log was replaced (log rotation?): reading it again" 1
# a log that starts empty: its columns are nulls until rows come, then they have their types
: > "$T/new.jsonl"
type_line ".load New=$T/new.jsonl"
run_query 'New | summarize n = count(), m = max(v)'
wait_for '0,'
wait_lines "New: no rows, and no schema declared or remembered from an earlier run" 1
printf '{"v":5,"w":"x"}\n' >> "$T/new.jsonl"
run_query 'New | summarize n = count(), m = max(v), w = take_any(w)'
wait_for '1,5,x'
type_line '.quit'
wait_for 'aiq-exited-0'
