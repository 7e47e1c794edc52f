# Stable bytes (issue 17.6): for the same data and query, every output format is byte-identical
# from run to run and whatever the thread count (-j 1, 2, 4): a diff of two nightly exports, or
# a dashboard file compared before it is replaced, must show only what changed in the data.
# The data spans many parse chunks (512 KiB) and many 2048-row vectors, in a mapped plain file
# (over 1 MiB), a zstd file and a small file read whole; its schema is inferred (a key that
# appears late, a number that turns real, a value that turns string) and also declared.
# The queries keep the files' order (no sort), group by hash (summarize without sort), sort
# with ties, and aggregate floating point (a sum's bytes depend on the order it adds in).
. tests/cli/lib.sh
command -v zstd >/dev/null || die "zstd is needed to write the compressed file"
mkdir "$T/d"
awk 'BEGIN {
  for (i = 0; i < 24000; i++) {
    extra = i >= 20000 ? sprintf(",\"Late\":\"l%d\"", i % 7) : ""
    x = i < 15000 ? sprintf("%d", i % 1000) : sprintf("%d.%d", i % 1000, i % 10)
    v = i < 22000 ? sprintf("%d", i % 13) : sprintf("\"v%d\"", i % 13)
    printf "{\"TimeGenerated\":\"2026-03-01T%02d:%02d:%02d.%03dZ\",\"Svc\":\"svc-%d\",\"X\":%s,\"R\":%.6f,\"V\":%s,\"Ok\":%s,\"Properties\":{\"gpu\":%d,\"tags\":[\"t%d\",\"u%d\"],\"n\":{\"deep\":%d}}%s}\n",
      (i / 3600) % 24, (i / 60) % 60, i % 60, i % 1000, i % 11, x, i / 7.0 + 0.1, v,
      i % 3 ? "true" : "false", i % 8, i % 5, i % 3, i, extra
  }
}' > "$T/d/a.jsonl"
head -n 2000 "$T/d/a.jsonl" | awk '{ sub(/svc-/, "zsvc-"); print }' | zstd -q -o "$T/d/b.jsonl.zst"
tail -n 50 "$T/d/a.jsonl" > "$T/d/c.jsonl"
[ "$(wc -c < "$T/d/a.jsonl")" -gt 3000000 ] || die "the data is too small to span several chunks"
cat > "$T/schema.kql" <<'KQL'
.create table T (TimeGenerated: datetime, Svc: string, X: real, R: real, V: dynamic, Ok: bool, Properties: dynamic, Late: string)
KQL

# same QUERY FMT SCHEMA_OPTION J... : the bytes of every run, -j as given, are those of the first
same() {
  query=$1 fmt=$2 schema=$3; shift 3
  ref=""
  for j in "$@"; do
    # shellcheck disable=SC2086 # ($schema is an option and its value, or nothing)
    "$AIQ" -j "$j" $schema -t "T=$T/d" -o "$fmt" -q "$query" < /dev/null > "$T/out" 2> "$T/err" ||
      die "query $n (-o $fmt, -j $j $schema) failed: $(cat "$T/err")"
    [ -s "$T/out" ] || die "query $n (-o $fmt): no output"
    if [ -z "$ref" ]; then ref=$j; cp "$T/out" "$T/ref"
    elif ! cmp -s "$T/ref" "$T/out"; then
      die "query $n, -o $fmt $schema: -j $j differs from -j $ref: $(diff "$T/ref" "$T/out" | head -5)"
    fi
  done
}
n=0
while IFS= read -r query; do
  n=$((n + 1))
  # every format with one thread and with four; json (every value, losslessly) also with two,
  # again, and with the schema declared (no first pass)
  for fmt in table csv tsv ndjson markdown; do same "$query" $fmt "" 1 4; done
  same "$query" json "" 1 2 4 4 1
  same "$query" json "--schema $T/schema.kql" 1 2 4
done <<'QUERIES'
T
T | where X > 990 or isnotempty(Late) | extend g = toint(Properties.gpu), tag = tostring(Properties.tags[0]) | project-away Properties
T | summarize n = count(), s = sum(R), a = avg(X), d = dcount(V), p = percentile(X, 95), st = make_set(V), hi = max(TimeGenerated) by Svc, Ok
T | summarize s = sum(R), l = make_list(X, 40) by bin(TimeGenerated, 17m) | sort by TimeGenerated desc
T | sort by Svc asc, Ok desc | take 3000
T | top 50 by X desc
T | distinct Svc, Late, Ok
T | mv-expand tag = Properties.tags | summarize count() by tostring(tag), Svc
T | join kind=inner (T | summarize m = max(R) by Svc) on Svc | where R > m - 2 | project Svc, R, m, Properties
T | summarize arg_max(R, *) by Late
QUERIES

# and the saved queries over the bundled sample (zstd files, a directory), now() pinned to its end
for q in queries/*.kql; do
  for fmt in csv json; do
    ref=""
    for j in 1 4; do
      "$AIQ" -j "$j" -d testdata --now "$(cat testdata/NOW)" -o "$fmt" "$q" < /dev/null > "$T/out" 2> "$T/err"
      rc=$?
      [ $rc -eq 0 ] || die "$q (-o $fmt, -j $j): exit $rc: $(cat "$T/err")"
      if [ -z "$ref" ]; then ref=$j; cp "$T/out" "$T/ref"
      elif ! cmp -s "$T/ref" "$T/out"; then
        die "$q, -o $fmt: -j $j differs from -j $ref: $(diff "$T/ref" "$T/out" | head -5)"
      fi
    done
  done
done
