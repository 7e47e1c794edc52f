#!/bin/sh
# kqlcheck_agree.sh -- checks aiq's test expectations against Microsoft's own
# Kusto parser (../shared/tools/kqlcheck), so they are Kusto's answers and not
# only aiq's:
#   - every case in tests/errors/syntax.txt is invalid KQL syntax for Kusto;
#   - every case in tests/errors/semantic.txt is rejected by Kusto's analyzer;
#   - tests/golden/columns.expected is what Kusto infers for columns.kql;
#   - every saved query in queries/ is valid KQL;
#   - every query of the corpus (tests/corpus) binds for Kusto against its schema, with the
#     result columns recorded in tests/corpus/expected_columns.txt.
# Needs node and the npm registry on first use. Prints "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
KQLCHECK=${KQLCHECK:-../shared/tools/kqlcheck/kqlcheck}
if [ ! -x "$KQLCHECK" ] || ! command -v node >/dev/null 2>&1; then
  echo "kqlcheck_agree: $KQLCHECK or node not available" >&2
  exit 2
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 tools/schema_json.py testdata/schema.kql > "$T/schema.json" 2>/dev/null ||
  { echo "kqlcheck_agree: python3 is needed to convert testdata/schema.kql" >&2; exit 2; }
pass=0; fail=0
sh tools/split_cases.sh tests/errors/syntax.txt "$T/syn"
"$KQLCHECK" --json "$T"/syn/*.kql > "$T/syn.json" 2>/dev/null
sh tools/split_cases.sh tests/errors/semantic.txt "$T/sem"
"$KQLCHECK" --json --schema "$T/schema.json" "$T"/sem/*.kql > "$T/sem.json" 2>/dev/null
for kind in syn sem; do
  while IFS= read -r line; do
    case "$line" in
      *'"ok":false'*) pass=$((pass + 1)) ;;
      *'"ok":true'*) fail=$((fail + 1)); echo "FAIL: Kusto accepts $kind case: $(echo "$line" | sed 's/.*"file":"\([^"]*\)".*/\1/' | xargs cat)" ;;
    esac
  done < "$T/$kind.json"
done
mkdir -p "$T/col"
n=0
while IFS= read -r q; do n=$((n + 1)); printf '%s\n' "$q" > "$(printf '%s/col/%03d.kql' "$T" "$n")"; done < tests/golden/columns.kql
(cd "$T/col" && "$OLDPWD/$KQLCHECK" --schema "$T/schema.json" --columns ./*.kql 2>&1) | sed 's#^\./##' > "$T/col.out"
if diff tests/golden/columns.expected "$T/col.out" > "$T/col.diff"; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: columns.expected differs from Kusto:"; cat "$T/col.diff"; fi
if "$KQLCHECK" queries/*.kql > "$T/q.out" 2>&1; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: saved queries:"; cat "$T/q.out"; fi
(cd tests/corpus/queries && "$OLDPWD/$KQLCHECK" --schema ../schema.json --columns ./*.kql 2>&1) |
  sed 's#^\./##' > "$T/corpus.out"
if diff tests/corpus/expected_columns.txt "$T/corpus.out" > "$T/corpus.diff"; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: the corpus differs from Kusto (tools/corpus_check.py --kqlcheck rewrites it):"
  head -20 "$T/corpus.diff"; fi
echo "kqlcheck agreement: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
