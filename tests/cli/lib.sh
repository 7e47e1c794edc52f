# lib.sh -- helpers for CLI tests: each test is a shell script that exits
# non-zero with a message when an expectation fails. $AIQ is the binary.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
die() { printf '%s\n' "$*" >&2; exit 1; }
# expect_rc CODE CMD... : runs CMD, stores stdout/stderr in $T/out, $T/err
expect_rc() {
  want=$1; shift
  "$@" > "$T/out" 2> "$T/err"
  rc=$?
  [ "$rc" -eq "$want" ] || die "exit $rc, want $want: $* :: $(cat "$T/err")"
}
expect_out() { [ "$(cat "$T/out")" = "$1" ] || die "stdout: $(cat "$T/out") :: want: $1"; }
expect_err() { [ "$(cat "$T/err")" = "$1" ] || die "stderr: $(cat "$T/err") :: want: $1"; }
err_has() { grep -qF -- "$1" "$T/err" || die "stderr lacks '$1': $(cat "$T/err")"; }
out_has() { grep -qF -- "$1" "$T/out" || die "stdout lacks '$1': $(cat "$T/out")"; }
out_lacks() { ! grep -qF -- "$1" "$T/out" || die "stdout has '$1': $(cat "$T/out")"; }
