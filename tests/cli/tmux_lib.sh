# tmux_lib.sh -- driving aiq on a real terminal for the REPL tests (source it
# after lib.sh): a tmux server of the test's own, read back with capture-pane,
# and waits for screen states (never sleep-and-hope: the suite also runs under
# ASan and TSan, many times slower).
command -v tmux >/dev/null || die "tmux is needed to drive the REPL on a terminal"
# tm ARGS: tmux on this test's socket (a test that needs several terminals
# sets nterm: each its own server, as one started on a socket just killed can fail)
tm() { tmux -S "$T/tmux${nterm:-}.sock" "$@"; }
trap 'for s in "$T"/tmux*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$T"' EXIT
screen() { tm capture-pane -p -J -S - -E - | sed 's/[[:space:]]*$//'; }
# wait_lines PATTERN N: until N lines of the screen match the grep PATTERN (30 s at most)
wait_lines() {
  i=0
  while [ "$(screen | grep -c -- "$1")" -lt "$2" ]; do
    i=$((i + 1))
    [ $i -lt 300 ] || die "timed out waiting for $2 lines like '$1'; the screen:
$(screen)"
    sleep 0.1
  done
}
# wait_for TEXT [N]: until the screen holds the line TEXT N times
wait_for() { wait_lines "^$(printf '%s' "$1" | sed 's/[][\\.*^$]/\\&/g')\$" "${2:-1}"; }
type_line() { tm send-keys -l -- "$1"; tm send-keys Enter; }
# run_query TEXT: types a query and the empty line that runs it
run_query() { type_line "$1"; tm send-keys Enter; }
