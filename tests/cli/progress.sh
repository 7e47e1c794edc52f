# Progress on a terminal (issue 17.4): a query that runs over a second shows, on stderr, how
# much input is read of the total, the rows, the rate and the time left, redrawn in place and
# erased before the result prints; never when stderr is a pipe or a file, nor for a quick
# query; without escape sequences under NO_COLOR or TERM=dumb (\r and spaces only). A note
# printed meanwhile takes the line off first, so the two never mix.
. tests/cli/lib.sh
command -v tmux >/dev/null || die "tmux is needed to see the progress line on a terminal"
command -v script >/dev/null || die "script (bsdutils) is needed to record a terminal's bytes"
tm() { tmux -S "$T/tmux.sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
case $AIQ in /*) aiq=$AIQ ;; *) aiq=$PWD/$AIQ ;; esac
# a query slow on purpose: a regex over every row of 500k (two seconds or so)
awk 'BEGIN { for (i = 1; i <= 500000; i++) printf "{\"a\":%d,\"s\":\"%s\"}\n", i, "abcdefghijabcdefghijabcdefghij" }' > "$T/big.jsonl"
printf '{"a":1,"s":"not finis' >> "$T/big.jsonl"
cat > "$T/slow.kql" <<'KQL'
T | summarize n = count(), w = sum(array_length(extract_all(@"(\w)", s)))
KQL
run="$aiq -j 1 -t T=$T/big.jsonl -o csv $T/slow.kql"

# on a terminal (tmux): the line is there while the query runs, with its figures
tm new-session -d -x 150 -y 20 "$run; echo aiq-exited-\$?; sleep 30"
i=0
until tm capture-pane -p | grep -Eq '^aiq: [0-9]+% of [0-9.]+ MiB read, [0-9]+ rows, [0-9.]+ [KM]iB/s, (under a second|[0-9]+ s) left'; do
  i=$((i + 1)); [ $i -lt 300 ] || die "no progress line on the terminal: $(tm capture-pane -p)"; sleep 0.05
done
# ... and gone once the result prints
i=0
until tm capture-pane -p | grep -q '^aiq-exited-0$'; do
  i=$((i + 1)); [ $i -lt 600 ] || die "the query did not finish: $(tm capture-pane -p)"; sleep 0.05
done
screen=$(tm capture-pane -p | sed 's/[[:space:]]*$//')
printf '%s\n' "$screen" | grep -q '^500000,15000000$' || die "no result: $screen"
printf '%s\n' "$screen" | grep -q '% of ' && die "the progress line was left on the screen: $screen"
printf '%s\n' "$screen" | grep -q "big.jsonl: the last line is not finished yet (21 bytes, no newline)" ||
  die "the note is not on a line of its own: $screen"

# the bytes a terminal gets: \r\033[K to redraw and erase, the note after an erase
TERM=xterm script -q -c "$run" "$T/raw" > /dev/null || die "script failed"
grep -q "$(printf '\r\033\\[K')aiq: [0-9]*% of " "$T/raw" || die "no progress line: $(cat -v "$T/raw")"
grep -q "$(printf '\r\033\\[K')aiq: $T/big.jsonl: the last line is not finished yet" "$T/raw" ||
  die "the note does not erase the line first: $(cat -v "$T/raw")"
# rows count per stage: the file's 500000 rows are read twice (once for their types), but the
# line never shows more rows than the file has
most=$(tr '\r' '\n' < "$T/raw" | sed -n 's/.* read, \([0-9]*\) rows.*/\1/p' | sort -n | tail -1)
[ -n "$most" ] && [ "$most" -le 500000 ] || die "rows shown: $most, the file has 500000"
# what shows of the result's line: after the last \r (and an erase), only the result
shown() { grep -a 'n,w' "$T/raw" | tr -d '\n' | sed "s/$(printf '\r')\$//; s/.*$(printf '\r')//; s/^$(printf '\033')\\[K//"; }
[ "$(shown)" = "n,w" ] || die "the line is not erased before the result: $(cat -v "$T/raw")"
# plain: no escape sequence at all, under TERM=dumb and under NO_COLOR; spaces erase
for env in "TERM=dumb" "TERM=xterm NO_COLOR=1"; do
  env $env script -q -c "$run" "$T/raw" > /dev/null || die "script failed"
  grep -q "$(printf '\r')aiq: [0-9]*% of " "$T/raw" || die "$env: no progress line: $(cat -v "$T/raw")"
  ! grep -q "$(printf '\033')" "$T/raw" || die "$env: escape sequences: $(cat -v "$T/raw")"
  grep -q "$(printf '\r')  *$(printf '\r')" "$T/raw" || die "$env: not erased with spaces: $(cat -v "$T/raw")"
  [ "$(shown)" = "n,w" ] || die "$env: the line is not erased before the result: $(cat -v "$T/raw")"
done
# a quick query shows nothing
TERM=xterm script -q -c "$aiq -t T=$T/big.jsonl -o csv -q 'T | take 1 | project a'" "$T/raw" > /dev/null
! grep -q "MiB read" "$T/raw" || die "progress for a quick query: $(cat -v "$T/raw")"

# never in a pipe, however long the query: only the result and the note go through
$run 2>&1 | cat > "$T/piped"
[ "$(LC_ALL=C sort "$T/piped")" = "$(printf '500000,15000000\naiq: %s/big.jsonl: the last line is not finished yet (21 bytes, no newline): left for the next read\nn,w' "$T")" ] ||
  die "in a pipe: $(cat -v "$T/piped")"
