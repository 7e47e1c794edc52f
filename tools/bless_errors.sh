#!/bin/sh
# bless_errors.sh AIQ CASES.txt -- fills in the '!' line after each '?' case
# with aiq's current diagnostic (exit code, LINE:COL and message). Use it only
# to add new cases, then read every new line before committing: the runner
# (tests/run_errors.sh) asserts them exactly.
set -e
aiq=$1; cases=$2; tmp=$(mktemp -d)
sh "$(dirname "$0")/split_cases.sh" "$cases" "$tmp"
awk -v dir="$tmp" -v aiq="$aiq" '
  /^!/ { next }
  /^\?/ { print; n++; f = sprintf("%s/%03d.kql", dir, n)
          cmd = aiq " check -d testdata " f " 2>&1 >/dev/null; echo \"rc=$?\""
          first = ""; rc = ""
          while ((cmd | getline line) > 0) { if (first == "") first = line; if (line ~ /^rc=/) rc = substr(line, 4) }
          close(cmd); sub("^" f ":", "", first); printf "! %s %s\n", rc, first; next }
  { print }
' "$cases" > "$tmp/out" && mv "$tmp/out" "$cases"
rm -rf "$tmp"
