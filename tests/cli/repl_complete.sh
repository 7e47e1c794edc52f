# Tab completion in the REPL on a real terminal (tmux): the columns of the
# pipeline at the cursor (extended and summarized names, only the current
# table's), known before the table is loaded (and Tab does not load it),
# bracket-quoted odd names, operators after '|', dot-commands and paths.
. tests/cli/lib.sh
. tests/cli/tmux_lib.sh
export XDG_STATE_HOME="$T/state" LC_ALL=C.UTF-8
# discard LINE: Ctrl-C throws away the line LINE being typed; waits until
# the screen shows it so (keys typed meanwhile would join the old line)
discard() {
  tm send-keys C-c
  wait_lines "^aiq> $(printf '%s' "$1" | sed 's/[][\\.*^$]/\\&/g') *^C\$" 1
}
# completes TYPED WANT: types TYPED and Tab; the line must become WANT; then
# Ctrl-C throws it away (the line stays on the screen, marked ^C)
completes() {
  tm send-keys -l -- "$1"
  tm send-keys Tab
  wait_lines "^aiq> $(printf '%s' "$2" | sed 's/[][\\.*^$]/\\&/g')\$" 1
  tm send-keys C-c
  wait_lines "^aiq> $(printf '%s' "$2" | sed 's/[][\\.*^$]/\\&/g') *^C\$" 1
}

printf '{"region":"eastus","latency":12,"odd name":1}\n{"region":"westus","latency":30}\n' > "$T/w.jsonl"
printf '{"node":"n1","gpu":0.5}\n' > "$T/n.jsonl"
mkdir "$T/queries" && : > "$T/queries/slow.kql"
tm new-session -d -x 120 -y 40 "$AIQ -t W=$T/w.jsonl -t N=$T/n.jsonl; echo aiq-exited-\$?; sleep 30"
wait_lines '^aiq>' 1

completes 'W | where regi' 'W | where region'
completes 'W | extend slowness = latency > 20 | where slo' 'W | extend slowness = latency > 20 | where slowness'
completes 'W | summarize requests = count() by region | where reque' 'W | summarize requests = count() by region | where requests'
completes 'W | summarize requests = count() by region | where regi' 'W | summarize requests = count() by region | where region'
# after project, only what was kept: latency is not offered
tm send-keys -l -- 'W | project region | where la'
tm send-keys Tab
tm send-keys -l -- 'X'
wait_lines '^aiq> W | project region | where laX$' 1
discard 'W | project region | where laX'
completes 'W | project ['"'"'od' 'W | project ['"'"'odd name'"'"']'
completes 'W | summ' 'W | summarize'
completes 'W | join kind=lefto' 'W | join kind=leftouter'
# another table's columns are not offered: N has no 'regi...' column
tm send-keys -l -- 'N | where regi'
tm send-keys Tab
tm send-keys -l -- 'X'
wait_lines '^aiq> N | where regiX$' 1
discard 'N | where regiX'
completes '.ru' '.run'
completes ".run $T/queries/sl" ".run $T/queries/slow.kql"
# nothing was loaded for the Tabs
tm send-keys -l -- '.tables'
tm send-keys Enter
wait_lines '^W  .*w.jsonl .*not read yet$' 1
wait_lines '^N  .*n.jsonl .*not read yet$' 1
tm send-keys -l -- '.quit'
tm send-keys Enter
wait_lines '^aiq-exited-0$' 1
exit 0
