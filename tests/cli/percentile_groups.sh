# The percentiles of many groups (4,096 or more) are selected on every
# thread (-j) before the result is written: the answers are the same bytes
# as one thread's, whatever the thread count, for integer and real columns,
# several percentiles sharing one column's values, zeros of both signs, and
# groups with one value or none; with percentiles_array() among them, one
# thread finishes as before. A few groups are checked against nearest rank
# computed here.
. tests/cli/lib.sh
# 6,000 groups of 1 to 9 values; every 7th row has no x; reals with 0 and -0.0
awk 'BEGIN {
  srand(7)
  for (i = 0; i < 33000; i++) {
    g = i % 6000; n = int(rand() * 1000)
    if (i % 7 == 3) { printf "{\"g\":%d,\"n\":%d}\n", g, n; continue }
    x = (i % 11 == 0) ? "0.0" : (i % 13 == 0) ? "-0.0" : sprintf("%.3f", rand() * 100 - 20)
    printf "{\"g\":%d,\"n\":%d,\"x\":%s,\"y\":%.2f}\n", g, n, x, 1 + rand() * 50
  }
}' > "$T/v.jsonl"
printf '.create table V (g:long, n:long, x:real, y:real)\n' > "$T/s.kql"
q='V | summarize p50 = percentile(x, 50), p95 = percentile(x, 95), c = count(), percentiles(n, 10, 90), p99 = percentile(x, 99) by g'
expect_rc 0 "$AIQ" -j 1 --schema "$T/s.kql" -t V="$T/v.jsonl" -o csv -q "$q"
cp "$T/out" "$T/one"
[ "$(wc -l < "$T/one")" -eq 6001 ] || die "want 6000 groups: $(wc -l < "$T/one")"
for j in 2 3 4 16; do
  expect_rc 0 "$AIQ" -j $j --schema "$T/s.kql" -t V="$T/v.jsonl" -o csv -q "$q"
  cmp -s "$T/one" "$T/out" || die "-j $j: percentiles differ from one thread's: $(diff "$T/one" "$T/out" | head -5)"
done
# nearest rank, computed here, for some groups (n: integers, exact)
for g in 0 1 2999 5999; do
  want=$(awk -F'[:,}]' -v g="$g" '$2 == g { v[++k] = $4 } END {
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    r10 = int((10 * k + 99) / 100); r90 = int((90 * k + 99) / 100)
    printf "%d,%d", v[r10 < 1 ? 1 : r10], v[r90 < 1 ? 1 : r90] }' "$T/v.jsonl")
  got=$(awk -F, -v g="$g" 'NR > 1 && $1 == g { print $5 "," $6 }' "$T/one")
  [ "$got" = "$want" ] || die "group $g: percentiles(n, 10, 90) = $got, want $want"
done
# the largest and smallest values (P95 of fewer than 20 values, P0, P100)
# are found in one pass: y (reals, no zeros) checked against awk too
q='V | summarize p95 = percentile(y, 95), p0 = percentile(y, 0), p100 = percentile(y, 100), p50 = percentile(y, 50) by g'
for j in 1 2; do
  expect_rc 0 "$AIQ" -j $j --schema "$T/s.kql" -t V="$T/v.jsonl" -o csv -q "$q"
  for g in 0 7 4321; do
    want=$(awk -F'[:,}]' -v g="$g" '$2 == g && $7 != "" { v[++k] = $8 + 0 } END {
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      r95 = int((95 * k + 99) / 100); r50 = int((50 * k + 99) / 100)
      printf "%s,%s,%s,%s", v[r95] + 0, v[1] + 0, v[k] + 0, v[r50] + 0 }' "$T/v.jsonl")
    got=$(awk -F, -v g="$g" 'NR > 1 && $1 == g { print $2 "," $3 "," $4 "," $5 }' "$T/out")
    [ "$got" = "$want" ] || die "-j $j, group $g: percentiles of y = $got, want $want"
  done
done
# with percentiles_array(): the same at every thread count too
q='V | summarize a = percentiles_array(x, 25, 75), p = percentile(x, 75), m = percentile(n, 50) by g'
expect_rc 0 "$AIQ" -j 1 --schema "$T/s.kql" -t V="$T/v.jsonl" -o csv -q "$q"
cp "$T/out" "$T/one"
expect_rc 0 "$AIQ" -j 2 --schema "$T/s.kql" -t V="$T/v.jsonl" -o csv -q "$q"
cmp -s "$T/one" "$T/out" || die "percentiles_array at -j 2 differs: $(diff "$T/one" "$T/out" | head -5)"
