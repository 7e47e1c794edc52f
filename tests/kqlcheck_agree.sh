#!/bin/sh
# kqlcheck_agree.sh -- checks aiq's test expectations against Microsoft's own
# Kusto parser (../shared/tools/kqlcheck), so they are Kusto's answers and not
# only aiq's:
#   - every case in tests/errors/syntax.txt is invalid KQL syntax for Kusto;
#   - every case in tests/errors/semantic.txt is rejected by Kusto's analyzer;
#   - tests/golden/columns.expected is what Kusto infers for columns.kql;
#   - every saved query in queries/ binds for Kusto against the sample's schema;
#   - every query of the golden tests (tests/golden/semantics*.txt) binds for Kusto, but for
#     the known disagreements listed in tests/kqlcheck_known.txt (that list cannot go stale);
#   - every command `aiq schema --kusto` prints (.create table, the JSON ingestion mapping,
#     .ingest) is valid for Kusto, for the sample and for column names that need quoting;
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
if "$KQLCHECK" --schema "$T/schema.json" queries/*.kql > "$T/q.out" 2>&1; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: saved queries:"; grep -v ': ok$' "$T/q.out"; fi

# the golden queries: each one Kusto rejects must be a known disagreement, and each known one
# must still be a golden query that Kusto rejects
mkdir -p "$T/gold"
awk -v dir="$T/gold" '/^\?/ { n++; q = sprintf("%s/%04d.kql", dir, n); sub(/^\? ?/, ""); print > q; close(q) }' \
  tests/golden/semantics*.txt
"$KQLCHECK" --schema "$T/schema.json" "$T"/gold/*.kql 2>&1 | grep ': error: ' | cut -d: -f1 | sort -u |
  while IFS= read -r f; do cat "$f"; done | sort > "$T/gold.rejected"
grep -v '^#' tests/kqlcheck_known.txt | grep -v '^$' | sort > "$T/gold.known"
if diff "$T/gold.rejected" "$T/gold.known" > "$T/gold.diff"; then
  pass=$((pass + 1)); else
  fail=$((fail + 1))
  echo "FAIL: golden queries Kusto rejects ('<') that tests/kqlcheck_known.txt does not list, or listed ones it accepts ('>'):"
  cat "$T/gold.diff"; fi

# aiq schema --kusto: each command (a block between blank lines) is valid Kusto
AIQ=${AIQ:-./aiq}
split_blocks() { awk -v dir="$2" 'BEGIN { n = 1 } /^$/ { n++; next } { f = sprintf("%s/%03d.kql", dir, n); print >> f; close(f) }' "$1"; }
mkdir -p "$T/odd" "$T/kusto_sample" "$T/kusto_odd"
printf '%s\n' '{"odd name":"x","it'"'"'s":1,"a.b":2.5,"back\\slash":true,"q\"uote":"y","Properties":{"k":1}}' > "$T/odd/data.jsonl"
if "$AIQ" schema --kusto -d testdata > "$T/kusto_sample.txt" &&
   "$AIQ" schema --kusto -t "odd t'able=$T/odd/data.jsonl" > "$T/kusto_odd.txt"; then
  split_blocks "$T/kusto_sample.txt" "$T/kusto_sample"
  split_blocks "$T/kusto_odd.txt" "$T/kusto_odd"
  if "$KQLCHECK" "$T"/kusto_sample/*.kql "$T"/kusto_odd/*.kql > "$T/kusto.out" 2>&1; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: aiq schema --kusto prints commands Kusto rejects:"; grep -v ': ok$' "$T/kusto.out"; fi
else
  fail=$((fail + 1)); echo "FAIL: $AIQ schema --kusto did not run (build aiq first)"
fi
(cd tests/corpus/queries && "$OLDPWD/$KQLCHECK" --schema ../schema.json --columns ./*.kql 2>&1) |
  sed 's#^\./##' > "$T/corpus.out"
if diff tests/corpus/expected_columns.txt "$T/corpus.out" > "$T/corpus.diff"; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: the corpus differs from Kusto (tools/corpus_check.py --kqlcheck rewrites it):"
  head -20 "$T/corpus.diff"; fi
echo "kqlcheck agreement: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
