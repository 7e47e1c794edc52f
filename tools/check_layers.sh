#!/bin/sh
# check_layers.sh [ROOT] -- the structure rules of src/, run by make test:
#   1. every #include of an aiq header names its folder ("core/table.h"),
#      so the folder graph can be read from the include lines;
#   2. a folder includes only folders below it in tools/layers.txt (and
#      include/aiq/), and the `only` folders nothing but what they list:
#      the folders can form no cycle;
#   3. no file in src/ is longer than 1000 lines.
# Prints each violation, and on a layering one the folder graph as it is;
# exits 1 when anything is wrong.
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
max_lines=1000
# (one awk over every file: xargs would split the list and lose the totals)
awk -v layers=tools/layers.txt -v max="$max_lines" '
  BEGIN {
    rank["aiq"] = -1
    n = 0
    while ((getline line < layers) > 0) {
      sub(/#.*/, "", line)
      if (line ~ /^[ \t]*$/) continue
      if (line ~ /^only /) {
        split(line, w, /[ :]+/)
        for (i = 3; w[i] != ""; i++) allowed[w[2], w[i]] = 1
        only[w[2]] = 1
        continue
      }
      k = split(line, w, /[ \t]+/)
      for (i = 1; i <= k; i++) if (w[i] != "") rank[w[i]] = n
      n++
    }
    bad = 0
  }
  FNR == 1 {
    if (prev != "" && prevlines > max) { printf "%s: %d lines (at most %d): split it along its seams\n", prev, prevlines, max; bad = 1 }
    split(FILENAME, p, "/"); dir = p[2]
    if (!(dir in rank)) { printf "%s: folder %s is not in tools/layers.txt\n", FILENAME, dir; bad = 1 }
  }
  { prev = FILENAME; prevlines = FNR }
  /^[ \t]*#[ \t]*include[ \t]*"/ {
    match($0, /"[^"]*"/); inc = substr($0, RSTART + 1, RLENGTH - 2)
    if (inc !~ /\//) {
      printf "%s:%d: #include \"%s\": name the folder (\"%s/%s\")\n", FILENAME, FNR, inc, dir, inc; bad = 1; next
    }
    split(inc, q, "/"); to = q[1]
    edge[dir, to]++; froms[dir] = 1; tos[to] = 1
    if (to == dir) next
    if (dir in only) {
      ok = (dir, to "/") in allowed || (dir, inc) in allowed
      if (!ok) { printf "%s:%d: #include \"%s\": %s/ may include only what tools/layers.txt lists for it\n", FILENAME, FNR, inc, dir; bad = 1; layering = 1 }
      next
    }
    if (!(to in rank)) { printf "%s:%d: #include \"%s\": folder %s is not in tools/layers.txt\n", FILENAME, FNR, inc, to; bad = 1; next }
    if (rank[to] >= rank[dir]) {
      printf "%s:%d: #include \"%s\": %s/ is not below %s/ in tools/layers.txt\n", FILENAME, FNR, inc, to, dir; bad = 1; layering = 1
    }
  }
  END {
    if (prev != "" && prevlines > max) { printf "%s: %d lines (at most %d): split it along its seams\n", prev, prevlines, max; bad = 1 }
    if (layering) {
      print "the folder graph (FROM -> TO (includes)):"
      for (f in froms) {
        line = ""
        for (t in tos) if ((f, t) in edge && f != t) line = line " " t "(" edge[f, t] ")"
        printf "  %s ->%s\n", f, line
      }
    }
    exit bad
  }' $(find src -name '*.[ch]' -o -name '*.def' | sort) || exit 1
