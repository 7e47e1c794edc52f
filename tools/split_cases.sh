#!/bin/sh
# split_cases.sh CASES.txt OUTDIR -- writes each '?' query of a case file to
# OUTDIR/NNN.kql (continuation lines start with '+'), for the test runner and
# for checking the cases with kqlcheck.
set -e
mkdir -p "$2"
rm -f "$2"/*.kql
awk -v dir="$2" '
  /^\?/ { n++; f = sprintf("%s/%03d.kql", dir, n); sub(/^\? ?/, ""); print > f; close(f); next }
  /^\+/ { sub(/^\+ ?/, ""); print >> f; close(f); next }
' "$1"
