#!/bin/sh
# run_all.sh AIQ UNIT_BIN -- the whole test suite: unit tests, error cases,
# result-column goldens, CLI behaviour. Prints each failure, then the line
# "N passed, N failed" and exits non-zero when anything failed.
AIQ=$1
UNIT=$2
DIFF=$3
cd "$(dirname "$0")/.." || exit 2
export AIQ
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# aiq remembers inferred schemas under $XDG_CACHE_HOME/aiq: the suite's go to its own
export XDG_CACHE_HOME="$TMP/cache"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$1"; }

# 1. unit tests (their own counts)
if out=$("$UNIT" 2>&1); then :; fi
printf '%s\n' "$out" | grep '^FAIL' || true
u_pass=$(printf '%s\n' "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
u_fail=$(printf '%s\n' "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$u_pass" ]; then bad "unit tests did not finish: $(printf '%s' "$out" | tail -3)"; else
  pass=$((pass + u_pass)); fail=$((fail + u_fail)); fi

# 1b. the structure of src/: the folders include each other one way only
#     (tools/layers.txt), no file is over 1000 lines
if out=$(sh tools/check_layers.sh 2>&1); then ok; else bad "tools/check_layers.sh:
$out"; fi

# 2. error cases: exit code, LINE:COL and message of the first diagnostic
for cases in tests/errors/*.txt; do
  dir=$TMP/$(basename "$cases" .txt)
  sh tools/split_cases.sh "$cases" "$dir"
  grep '^!' "$cases" | sed 's/^! //' > "$dir/expected"
  n=0
  while IFS= read -r want; do
    n=$((n + 1))
    f=$(printf '%s/%03d.kql' "$dir" "$n")
    got=$("$AIQ" check -d testdata "$f" 2>&1 >/dev/null)
    rc=$?
    first=$(printf '%s\n' "$got" | head -1 | sed "s#^$f:##")
    if [ "$rc $first" = "$want" ]; then ok; else
      bad "$cases case $n: $(cat "$f")
      want: $want
      got:  $rc $first"; fi
    case "$got" in *ERROR:*Sanitizer*|*runtime\ error*) bad "$cases case $n: sanitizer report";; esac
  done < "$dir/expected"
done

# 3. result columns, compared with what Kusto's analyzer infers (kqlcheck --columns)
cdir=$TMP/columns
mkdir -p "$cdir"
n=0
while IFS= read -r q; do n=$((n + 1)); printf '%s\n' "$q" > "$(printf '%s/%03d.kql' "$cdir" "$n")"; done < tests/golden/columns.kql
(cd "$cdir" && "$OLDPWD/$AIQ" check -d "$OLDPWD/testdata" --explain ./*.kql 2>&1) | sed 's#^\./##' > "$TMP/columns.out" || true
while IFS= read -r want; do
  id=${want%%:*}
  got=$(grep "^$id:" "$TMP/columns.out" | head -1)
  if [ "$got" = "$want" ]; then ok; else bad "columns $id: $(cat "$cdir/$id")
      want: $want
      got:  $got"; fi
done < tests/golden/columns.expected

# 4. golden semantics: query -> expected rows (in order with '=', any order with '~'),
#    from tests/golden/semantics*.txt (one file per area, so work on areas does not collide);
#    the bundled sample's tables are bound explicitly (aiq never falls back to it)
gdir=$TMP/golden
mkdir -p "$gdir"
awk -v dir="$gdir" '
  /^\?/ { n++; q = sprintf("%s/%03d.kql", dir, n); sub(/^\? ?/, ""); print > q; close(q);
          e = sprintf("%s/%03d.want", dir, n); printf "" > e; close(e); next }
  /^[=~]/ { e = sprintf("%s/%03d.want", dir, n); print >> e; close(e) }
' tests/golden/semantics*.txt
for q in "$gdir"/*.kql; do
  base=${q%.kql}
  got=$("$AIQ" --now 2026-01-01T00:00:00Z -d testdata -o ndjson -f "$q" 2>"$base.err")
  rc=$?
  want=$(sed 's/^[=~] //' "$base.want")
  if grep -q '^~' "$base.want"; then
    got=$(printf '%s\n' "$got" | sort); want=$(printf '%s\n' "$want" | sort)
  fi
  if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then ok; else
    bad "golden $(cat "$q")
      want: $(printf '%s' "$want" | tr '\n' ' ')
      got:  $(printf '%s' "$got" | tr '\n' ' ') (exit $rc) $(head -3 "$base.err")"; fi
done

# 5. saved queries on the bundled data against the Python oracle (tools/oracle.py),
#    with now() at the sample's end as the oracle has it
for exp in tests/golden/queries/*.expected; do
  name=$(basename "$exp" .expected)
  if "$AIQ" -d testdata --now "$(cat testdata/NOW)" -o ndjson "queries/$name.kql" > "$TMP/$name.out" 2> "$TMP/$name.err" &&
     out=$("$DIFF" "$exp" "$TMP/$name.out"); then ok; else
    bad "queries/$name.kql differs from the oracle: $out $(head -3 "$TMP/$name.err")"; fi
done

# 6. command-line behaviour (a test that hangs -- a deadlock -- fails after
#    15 minutes, sanitizers included, instead of holding the suite)
for t in tests/cli/*.sh; do
  if out=$(timeout -k 10 "${AIQ_TEST_TIMEOUT:-900}" sh "$t" 2>&1); then ok; else
    rc=$?; [ $rc -eq 124 ] && out="timed out after ${AIQ_TEST_TIMEOUT:-900} s
$out"; bad "$t
$out"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
