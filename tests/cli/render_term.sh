# render on a terminal (issue 15): under tmux, a query ending in render draws
# its chart instead of the table -- the series in braille, a legend naming
# each, time labels, the title -- fitted to the terminal's width, in colour
# unless NO_COLOR or --color=never, in ASCII when the locale is not UTF-8; and
# the REPL draws it the same way.
. tests/cli/lib.sh
command -v tmux >/dev/null || die "tmux is needed to put aiq on a terminal"
SOCK=$T/tmux.sock
tm() { tmux -S "$SOCK" "$@"; }
trap 'for s in "$T"/*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$T"' EXIT
export XDG_STATE_HOME="$T/state"
NOW=$(cat testdata/NOW)
Q="AppRequests | where TimeGenerated > ago(1d) | summarize Requests = count() by bin(TimeGenerated, 1h), AppRoleName | render timechart with (title='Requests per hour')"
printf '%s\n' "$Q" > "$T/q.kql"

# run_on_tty NAME ENV...: runs the query in a 110 x 36 pane (ENV set first)
# and keeps its screen, plain in $T/NAME and with colours in $T/NAME.esc
run_on_tty() {
  name=$1; shift
  SOCK=$T/$name.sock # a server of its own for each run
  tm new-session -d -x 110 -y 36 "env $* $AIQ -d testdata --now $NOW $T/q.kql; echo aiq-done-\$?; sleep 30"
  i=0
  until tm capture-pane -p | grep -q '^aiq-done-'; do
    i=$((i + 1)); [ $i -lt 100 ] || die "$name: aiq did not finish: $(tm capture-pane -p)"; sleep 0.1
  done
  tm capture-pane -p > "$T/$name"
  tm capture-pane -p -e > "$T/$name.esc"
  grep -q '^aiq-done-0$' "$T/$name" || die "$name: aiq failed: $(cat "$T/$name")"
}
# braille FILE: how many lines of FILE hold a braille cell (U+2801 .. U+28FF)
braille() { python3 -c 'import sys; print(sum(any(0x2801 <= ord(c) <= 0x28FF for c in l) for l in open(sys.argv[1], encoding="utf-8")))' "$1"; }

run_on_tty utf8 LANG=C.UTF-8 TERM=xterm-256color
S=$T/utf8
grep -q 'Requests per hour' "$S" || die "no title: $(cat "$S")"
[ "$(braille "$S")" -ge 5 ] || die "no series drawn in braille: $(cat "$S")"
for role in aoai-gateway chat-api embeddings-api completions-api; do
  grep -q "$role" "$S" || die "the legend lacks $role: $(cat "$S")"
done
grep -q 'Nov 2[01]' "$S" || die "no time labels: $(cat "$S")"
grep -q 'TimeGenerated' "$S" || die "no x axis title: $(cat "$S")"
! grep -q '^TimeGenerated *AppRoleName' "$S" || die "the table was printed as well: $(cat "$S")"
! grep -q 'not drawn' "$S" || die "a note on a terminal: $(cat "$S")"
widest=$(python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$S")
[ "$widest" -le 110 ] || die "a line of $widest characters on a terminal of 110"
[ "$(grep -c . "$S")" -ge 20 ] || die "a chart of fewer than 20 lines on a 36-line terminal"
grep -q "$(printf '\033')\[" "$S.esc" || die "no colour on a terminal"

# with --chart the chart goes to its file, and the terminal gets the rows
SOCK=$T/chart.sock
tm new-session -d -x 110 -y 36 "env LANG=C.UTF-8 $AIQ -d testdata --now $NOW --chart $T/c.svg $T/q.kql; echo aiq-done-\$?; sleep 30"
i=0
until tm capture-pane -p | grep -q '^aiq-done-'; do
  i=$((i + 1)); [ $i -lt 100 ] || die "--chart: aiq did not finish: $(tm capture-pane -p)"; sleep 0.1
done
tm capture-pane -p > "$T/chart"
grep -q '^aiq-done-0$' "$T/chart" && [ -s "$T/c.svg" ] || die "--chart on a terminal failed: $(cat "$T/chart")"
grep -Eq '^2026-[0-9-]+T[0-9:]+Z +(aoai-gateway|chat-api|embeddings-api|completions-api) +[0-9]+$' "$T/chart" ||
  die "--chart: no table rows on the terminal: $(cat "$T/chart")"
[ "$(braille "$T/chart")" -eq 0 ] || die "--chart: the chart was drawn on the terminal too"

run_on_tty nocolor LANG=C.UTF-8 NO_COLOR=1
! grep -q "$(printf '\033')\[[0-9;]*m" "$T/nocolor.esc" || die "colour under NO_COLOR"
[ "$(braille "$T/nocolor")" -ge 5 ] || die "NO_COLOR lost the chart"

run_on_tty ascii LANG=C LC_ALL=C
[ "$(braille "$T/ascii")" -eq 0 ] || die "braille in a C locale: $(cat "$T/ascii")"
grep -q 'chat-api' "$T/ascii" || die "the ASCII chart lacks its legend: $(cat "$T/ascii")"

# the REPL draws it too
SOCK=$T/repl.sock
tm new-session -d -x 110 -y 40 "env LANG=C.UTF-8 $AIQ -d testdata --now $NOW; sleep 30"
i=0
until tm capture-pane -p | grep -q '^aiq>'; do i=$((i + 1)); [ $i -lt 100 ] || die "no REPL prompt"; sleep 0.1; done
tm send-keys -l -- "$Q"
tm send-keys Enter Enter
i=0
until [ "$(tm capture-pane -p | grep -c '^aiq>')" -ge 2 ]; do
  i=$((i + 1)); [ $i -lt 100 ] || die "the REPL did not finish the query: $(tm capture-pane -p)"; sleep 0.1
done
tm capture-pane -p > "$T/repl"
grep -q 'Requests per hour' "$T/repl" && [ "$(braille "$T/repl")" -ge 5 ] || die "the REPL drew no chart: $(cat "$T/repl")"
exit 0
