# The REPL on a pseudo-terminal (script(1) gives aiq a tty): multi-line
# queries, errors with carets, dot-commands, history, .save and .run.
. tests/cli/lib.sh
command -v script >/dev/null || die "script(1) (bsdutils) is needed to drive the REPL on a pty"
export XDG_STATE_HOME="$T/state"
printf 'print a = 40 + 2;\nAppRequests\n| where AppRoleName == "chat-api"\n| count\n\nAppRequests | wher x;\n.schema Perf\n.format csv\nprint z = "saved";\n.save %s/q.kql\n.run %s/q.kql\n.now 2030-01-01T00:00:00Z\nprint n = now();\n.bogus\n.quit\n' "$T" "$T" |
  timeout 20 script -qec "$AIQ" /dev/null > "$T/out" 2>&1 || die "the REPL did not exit cleanly: $(tail -5 "$T/out")"
tr -d '\r' < "$T/out" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' > "$T/clean"
grep -q '^42$' "$T/clean" || die "print result missing: $(cat "$T/clean")"
grep -q '^ 2232$' "$T/clean" || die "multi-line count missing: $(cat "$T/clean")"
grep -qF "query:1:15: error: unknown query operator 'wher'; did you mean 'where'?" "$T/clean" || die "error missing"
grep -q '^TimeGenerated  *datetime$' "$T/clean" || die ".schema missing: $(cat "$T/clean")"
[ "$(grep -c '^saved$' "$T/clean")" -eq 2 ] || die ".save/.run did not rerun the query: $(cat "$T/clean")"
grep -q '^2030-01-01T00:00:00Z$' "$T/clean" || die ".now not applied"
grep -qF "unknown command '.bogus'" "$T/clean" || die "unknown dot-command not reported"
grep -q '^CounterValue  *real$' "$T/clean" || die ".schema lacks a column: $(cat "$T/clean")"
grep -qF 'print a = 40 + 2;' "$T/state/aiq/history" || die "history not saved"
