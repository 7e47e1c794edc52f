#!/bin/sh
# run_queries.sh AIQ -- the main job: every saved query in queries/ on the
# bundled sample data, each with its purpose (the header comment) and its
# result as an aligned table. Exits non-zero if any query fails.
aiq=$1
cd "$(dirname "$0")/.." || exit 2
status=0
for q in queries/*.kql; do
  echo
  echo "=== $q"
  sed -n 's#^// ##p' "$q"
  if ! "$aiq" -o table "$q" 2>/dev/null; then
    "$aiq" -o table "$q" >/dev/null
    status=1
  fi
done
exit $status
