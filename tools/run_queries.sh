#!/bin/sh
# run_queries.sh AIQ -- the main job: every saved query in queries/ on the
# bundled sample data. Prints each query's purpose (its header comment) and
# its result; exits non-zero if any query fails.
aiq=$1
cd "$(dirname "$0")/.." || exit 2
status=0
for q in queries/*.kql; do
  echo "=== $q"
  sed -n 's#^// ##p' "$q" | head -2
  if ! "$aiq" --explain "$q" 2>&1 | head -1; then status=1; fi
done
exit $status
