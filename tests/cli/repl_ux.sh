# The REPL's results and dot-commands on a real terminal (tmux: send-keys,
# capture-pane): tables fitted to the width (cells clipped with …, columns
# left out past the edge), the footer with the row count and the time, long
# results through $PAGER (PAGER=cat and a pager that saves what it got) or,
# with PAGER empty, the first screenful and "… N more rows"; render drawn at
# the terminal's width; .output, .once, .headers, .mode, .read, .reload,
# .load of a missing path, "did you mean" for a mistyped dot-command, exit.
. tests/cli/lib.sh
. tests/cli/tmux_lib.sh
export XDG_STATE_HOME="$T/state" LC_ALL=C.UTF-8
unset NO_COLOR
nterm=0
wait_prompt() { wait_lines '^aiq>' "$1"; }
# start WIDTH HEIGHT ENV...: aiq on a fresh terminal of that size, over the fixtures
start() {
  w=$1 h=$2
  shift 2
  tm kill-server 2>/dev/null
  nterm=$((nterm + 1))
  tm new-session -d -x "$w" -y "$h" "env $* $AIQ -t W=$T/wide.jsonl -t N=$T/nums.jsonl; echo aiq-exited-\$?; sleep 30"
  wait_prompt 1
}
# widest: the widest line aiq wrote on the screen, in terminal columns (not
# the banner, nor the lines typed, which the terminal wraps)
widest() { screen | grep -v -e '^aiq' -e '^\.\.\.>' | wc -L; }

# Fixtures: rows with long text and a dynamic value; 40 numbered rows.
i=1
while [ $i -le 3 ]; do
  printf '{"id":%d,"msg":"%s","props":{"deployment":"gpt-4o-eastus-%d","tokens":[1,2,3,4,5,6,7,8,9]},"region":"eastus"}\n' \
    $i "request $i failed: upstream model deployment returned 429 Too Many Requests after retrying" $i
  i=$((i + 1))
done > "$T/wide.jsonl"
seq 1 40 | sed 's/.*/{"n":&}/' > "$T/nums.jsonl"

# 1. width fitting and the footer, on a 60-column terminal
start 60 20 PAGER=cat
run_query 'W | project id, msg, props, region'
wait_lines '^[0-9] rows ([0-9.]* s)$' 1
screen | grep -q '^3 rows ([0-9]*\.[0-9][0-9] s)$' || die "footer missing: $(screen)"
screen | grep -q '^ *1  request 1 fail.*…  {"deploy.*…  eastus$' || die "long cells not clipped to fit: $(screen)"
[ "$(widest)" -le 60 ] || die "a line is wider than the terminal ($(widest)): $(screen)"
# too many columns for the width: those on the right are left out, a … column says so
run_query 'W | extend a = msg, b = msg, c = msg, d = msg, e = msg, f = msg'
wait_lines '^3 rows' 2
screen | grep -q '^id  msg .*  …$' || die "no … column for the columns left out: $(screen)"
[ "$(widest)" -le 60 ] || die "a line is wider than the terminal ($(widest)): $(screen)"

# 2. a result taller than the screen goes through $PAGER (cat here: all of it)
run_query 'N | project n'
wait_lines '^40 rows ([0-9.]* s)$' 1
for n in 1 20 39 40; do screen | grep -q "^ *$n\$" || die "row $n missing from the paged result: $(screen)"; done

# 3. dot-commands: .once, .output, .headers, .mode, did you mean, .load, .read, .reload
type_line ".mode csv"
type_line ".once $T/once.csv"
run_query 'N | where n <= 2'
wait_lines "^2 rows ([0-9.]* s) written to $T/once.csv\$" 1
[ "$(cat "$T/once.csv")" = "$(printf 'n\n1\n2')" ] || die ".once file: $(cat "$T/once.csv")"
run_query 'N | where n == 3 | project m = n * 100'
wait_lines '^300$' 1 # back on the screen after one result
type_line ".output $T/all.csv"
run_query 'N | where n == 5'
run_query 'N | where n == 6'
wait_lines "written to $T/all.csv\$" 2
type_line ".output"
type_line ".headers off"
run_query 'N | where n == 7 | project seven = n'
wait_lines '^7$' 1
screen | grep -q '^seven$' && die ".headers off still shows the header: $(screen)"
[ "$(cat "$T/all.csv")" = "$(printf 'n\n5\nn\n6')" ] || die ".output file: $(cat "$T/all.csv")"
type_line ".mdoe table"
wait_lines "unknown command '.mdoe'; did you mean '.mode'?" 1
type_line ".load X=$T/no-such.jsonl"
wait_lines "no-such.jsonl: no such file" 1
type_line ".tables"
wait_lines '^N  .*nums.jsonl' 1
screen | grep -q '^X  ' && die ".load of a missing path registered a table: $(screen)"
printf 'N | where n == 9 | project nine = n * 11\n' > "$T/q.kql"
type_line ".read $T/q.kql"
wait_lines '^99$' 1
type_line ".reload"
wait_lines 'cached rows dropped' 1
type_line ".help"
for c in '^\.format FMT .*(also \.mode)$' '^\.run FILE.kql .*(also \.read)$' '^\.output' '^\.once' '^\.headers' \
  '^\.reload' '^\.now' '^\.load'; do
  wait_lines "$c" 1
done
type_line "exit"
wait_lines '^aiq-exited-0$' 1

# 4. PAGER empty: the first screenful and how many rows are left out
start 60 20 PAGER=
run_query 'N | project n'
wait_lines '^40 rows' 1
screen | grep -q '^… [0-9]* more rows' || die "no '… N more rows': $(screen)"
screen | grep -q '^ *40$' && die "all 40 rows shown on a 20-line screen: $(screen)"
type_line ".quit"
wait_lines '^aiq-exited-0$' 1

# 5. a pager that keeps what it was given: the whole result and the footer
start 60 20 "PAGER='cat > $T/paged.txt'"
run_query 'N | project n'
wait_prompt 2
i=0
until grep -q '^40 rows' "$T/paged.txt" 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 100 ] || die "the pager got no footer: $(cat "$T/paged.txt" 2>&1)"
  sleep 0.1
done
[ "$(grep -c '^ *[0-9][0-9]*$' "$T/paged.txt")" -eq 40 ] || die "the pager did not get all rows: $(cat "$T/paged.txt")"

# 6. render draws its chart at the terminal's width, not paged
start 70 24 PAGER=cat
run_query 'N | extend t = datetime(2026-11-21) + n * 1m | project t, n | render timechart'
wait_lines '^40 rows' 1
screen | grep -q '┤' || die "no chart drawn: $(screen)"
[ "$(widest)" -le 70 ] || die "the chart is wider than the terminal ($(widest)): $(screen)"
[ "$(widest)" -ge 60 ] || die "the chart does not use the terminal's width ($(widest)): $(screen)"
type_line "quit"
wait_lines '^aiq-exited-0$' 1
exit 0
