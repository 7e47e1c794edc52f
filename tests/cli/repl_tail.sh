# A log still being written, under the REPL on a terminal (tmux; issue 16.2, "files that changed
# are re-read: appended tails only, when the head is unchanged"): once a query has cached the
# log's columns, lines appended to it are read alone by the next query (--timing says "lines
# appended" and counts only them) and every answer stays the command line's, byte for byte, at one
# and two threads. A bad line among the new ones is reported with its line number in the file.
# New lines that would change the table's columns (a new column, a type that no longer fits) and
# a log whose first bytes changed are read again whole, and the answers are the CLI's again. A
# table of two files whose first one grows keeps file order.
. tests/cli/lib.sh
. tests/cli/tmux_lib.sh
export XDG_STATE_HOME="$T/state" XDG_CACHE_HOME="$T/cache" NO_COLOR=1 PAGER=cat

# lines FROM TO [EXTRA]: JSON lines with v from FROM to TO-1 (EXTRA: more members)
lines() {
  awk -v a="$1" -v b="$2" -v x="${3:-}" 'BEGIN { for (i = a; i < b; i++)
    printf "{\"ts\":\"2026-12-01T%02d:%02d:%02dZ\",\"v\":%d,\"level\":\"%s\",\"svc\":\"svc-%d\",\"ms\":%d.5%s}\n",
      (i / 3600) % 24, (i / 60) % 60, i % 60, i, (i % 7 ? "info" : "error"), i % 5, i % 1000, x }'
}
Q1='App | summarize n = count(), s = sum(v), e = countif(level == "error"), m = round(avg(ms), 3) by svc | order by svc asc'
Q2='App | where v % 97 == 0 | project ts, v, level, svc | order by ts asc'

step=0
# ask QUERY: the REPL's answer to $T/repl_N.csv, and the CLI's to $T/cli_N.csv (same flags)
ask() {
  step=$((step + 1))
  type_line ".once $T/repl_$step.csv"
  run_query "$1"
  run_query "print done = \"step-$step\""
  wait_for "step-$step"
  "$AIQ" -j "$j" -o csv -q "$1" -t App="$tabpath" > "$T/cli_$step.csv" 2> "$T/cli_err" ||
    die "the CLI failed on: $1 :: $(cat "$T/cli_err")"
  cmp -s "$T/cli_$step.csv" "$T/repl_$step.csv" ||
    die "-j $j, step $step: the REPL's answer differs from the CLI's for: $1 :: $(diff "$T/cli_$step.csv" "$T/repl_$step.csv" | head -10) :: $(screen | tail -15)"
}

for j in 1 2; do
  log=$T/app$j.log
  tabpath=$log
  lines 0 3000 > "$log"
  nterm=$j
  tm new-session -d -x 220 -y 50 "$AIQ -j $j -t App=$log; echo aiq-exited-\$?; sleep 30"
  wait_lines '^aiq>' 1
  type_line '.format csv'
  type_line '.timing on'
  ask "$Q1"
  ask "$Q2"
  # 500 lines appended: read alone, answers as the CLI's
  lines 3000 3500 >> "$log"
  type_line '.tables'
  wait_lines '^App .* 3000 rows, 5 of 5 columns in memory (.*); lines appended since, for the next query$' 1
  ask "$Q1"
  wait_lines 'aiq: timing: read App (lines appended): 1 file, .*, 500 rows$' 1
  type_line '.tables'
  wait_lines '^App .* 3500 rows, 5 of 5 columns in memory (.*)$' 1
  ask "$Q2"
  screen | grep -q 'reading the files again' && die "-j $j: appended lines of the same shape read the files again: $(screen | tail)"
  # a bad line among new ones: reported with its number in the file (the CLI's too)
  { lines 3500 3510; echo '{"v": oops}'; lines 3510 3520; } >> "$log"
  ask "$Q1"
  wait_lines "app$j.log: 1 malformed line skipped (first at line 3511" 1
  # a new column: the files are read again whole
  lines 3520 3530 ',"extra":1' >> "$log"
  ask "$Q1"
  wait_lines 'the lines appended to the files of App bring new columns or types: reading the files again' 1
  ask 'App | summarize sum(extra), count()'
  # a type that no longer fits (ms: numbers, now a string)
  printf '{"ts":"2026-12-02T00:00:00Z","v":9000,"level":"info","svc":"svc-1","ms":"slow"}\n' >> "$log"
  ask 'App | summarize n = count(), s = sum(v) by svc | order by svc asc'
  wait_lines 'the lines appended to the files of App bring new columns or types: reading the files again' 2
  ask 'App | summarize c = countif(tostring(ms) == "slow"), n = count()'
  # the first bytes rewritten in place (same file, same size) and lines appended: all read again
  ask "$Q2"
  printf '{"ts":"2026-12-01T00:00:00Z","v":5' | dd of="$log" bs=1 seek=0 conv=notrunc 2>/dev/null
  lines 4000 4010 >> "$log"
  ask "$Q2"
  ask 'App | where v < 10 | project v'
  type_line '.quit'
  wait_for 'aiq-exited-0'
done

# two files; the first one grows: its new rows come before the second file's
j=2
mkdir "$T/dir"
lines 0 2000 > "$T/dir/a.jsonl"
lines 5000 6000 > "$T/dir/b.jsonl"
tabpath=$T/dir
nterm=3
tm new-session -d -x 220 -y 50 "$AIQ -j $j -t App=$T/dir; echo aiq-exited-\$?; sleep 30"
wait_lines '^aiq>' 1
type_line '.format csv'
type_line '.timing on'
ask 'App | project v, svc | where v % 13 == 0'
lines 2000 2100 >> "$T/dir/a.jsonl"
ask 'App | project v, svc | where v % 13 == 0'
wait_lines 'aiq: timing: read App (lines appended): 1 file, .*, 100 rows$' 1
ask "$Q1"
type_line '.quit'
wait_for 'aiq-exited-0'
