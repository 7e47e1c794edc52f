#!/bin/sh
# run_queries.sh AIQ -- the main job: every saved query in queries/ on the
# bundled sample data, each with its purpose (the header comment) and its
# result as an aligned table. Exits non-zero if any query fails. The sample
# is passed explicitly (aiq never falls back to it), with now() pinned to
# its end (testdata/NOW) so that ago() windows hold its rows.
aiq=$1
cd "$(dirname "$0")/.." || exit 2
now=$(cat testdata/NOW)
status=0
for q in queries/*.kql; do
  echo
  echo "=== $q"
  sed -n 's#^// ##p' "$q"
  if ! "$aiq" -d testdata --now "$now" -o table "$q" 2>/dev/null; then
    "$aiq" -d testdata --now "$now" -o table "$q" >/dev/null
    status=1
  fi
done
exit $status
