# Several compressed files decode at once, each on a worker of its own (a
# "file task", src/io/jsonl_stream.c), while batches are still handed out in
# file order: for every -j the rows, their order, each file's report (line
# numbers counted within its file), --strict's error, the reader's counts in
# --timing, and undeclared types are the same. take stops early without
# waiting for files still being decoded, and batches decoded ahead stay
# within --max-memory when the query is slower than the decoding.
. tests/cli/lib.sh
export XDG_CACHE_HOME="$T/cache" # (emptied before each undeclared run: each guesses its types)
# 6 parts of 20,000 lines; bad lines deep in some parts (line numbers in
# their file), a misfit in one, a part that is plain, a part that is empty
awk 'BEGIN { for (p = 0; p < 6; p++) { f = sprintf("'"$T"'/part%d.jsonl", p)
  for (i = 1; i <= 20000; i++) { n = p * 20000 + i
    if (p == 1 && i == 15555) print "not json" > f;
    else if (p == 3 && i == 777) print "{\"a\":1," > f;
    else if (p == 4 && i == 19999) printf "{\"a\":\"oops\",\"code\":\"200\",\"s\":\"x\"}\n" > f;
    else printf "{\"a\":%d,\"code\":\"%d\",\"s\":\"%s\"}\n", n, n % 5, substr("abcdefghijklmnopqrstuvwxyz", 1 + n % 26) > f } } }'
mkdir "$T/d"
for p in 0 2 4; do gzip -c "$T/part$p.jsonl" > "$T/d/part$p.jsonl.gz"; done
for p in 1 5; do zstd -q -c "$T/part$p.jsonl" > "$T/d/part$p.jsonl.zst"; done
cp "$T/part3.jsonl" "$T/d/part3.jsonl"
: | gzip -c > "$T/d/part6.jsonl.gz"
printf '.create table B (a:long, code:string, s:string)\n' > "$T/s.kql"
run() { # run J OUT QUERY [OPTIONS...]: stdout to OUT.csv, stderr to OUT.err
  j=$1 o=$2 q=$3; shift 3
  rm -rf "$T/cache"
  "$AIQ" -j "$j" "$@" -t B="$T/d" -o csv -q "$q" > "$T/$o.csv" 2> "$T/$o.err"
}
same() { # same OUT1 OUT2 WHAT
  cmp -s "$T/$1.csv" "$T/$2.csv" || die "$3: rows differ: $(diff "$T/$1.csv" "$T/$2.csv" | head -5)"
  cmp -s "$T/$1.err" "$T/$2.err" || die "$3: reports differ: $(diff "$T/$1.err" "$T/$2.err" | head -5)"
}
for schema in declared undeclared; do
  opt=""; [ $schema = declared ] && opt="--schema $T/s.kql"
  # shellcheck disable=SC2086
  run 1 j1 'B | project a, code, s' $opt || die "-j 1 ($schema): $(cat "$T/j1.err")"
  [ "$(wc -l < "$T/j1.csv")" -eq 119999 ] || die "-j 1 ($schema): $(wc -l < "$T/j1.csv") lines"
  grep -qF "part1.jsonl.zst: 1 malformed line skipped (first at line 15555" "$T/j1.err" || die "zstd report ($schema): $(cat "$T/j1.err")"
  grep -qF "part3.jsonl: 1 malformed line skipped (first at line 777" "$T/j1.err" || die "plain report ($schema): $(cat "$T/j1.err")"
  [ "$(sed -n 2p "$T/j1.csv" | cut -d, -f1,2)" = "1,1" ] || die "first row ($schema): $(sed -n 2p "$T/j1.csv")"
  [ "$(tail -n 1 "$T/j1.csv" | cut -d, -f1,2)" = "120000,0" ] || die "last row ($schema): $(tail -n 1 "$T/j1.csv")"
  for j in 2 3 4; do
    # shellcheck disable=SC2086
    run $j jn 'B | project a, code, s' $opt || die "-j $j ($schema): $(cat "$T/jn.err")"
    same j1 jn "-j $j ($schema)"
  done
done
# the misfit (a string among longs) is reported with its line in part4, at every -j
for j in 1 2 4; do
  run $j m 'B | summarize sum(a)' --schema "$T/s.kql"
  grep -qF "1 value did not fit the declared type and became null (first: column a:long at line 19999" "$T/m.err" || die "misfit report -j $j: $(cat "$T/m.err")"
done
# undeclared: a long column with a string in part4 is dynamic, at every -j
run 1 t1 'B | getschema | project ColumnName, ColumnType'
for j in 2 4; do
  run $j tn 'B | getschema | project ColumnName, ColumnType'
  same t1 tn "types at -j $j"
done
grep -q '^a,dynamic$' "$T/t1.csv" || die "type of a: $(cat "$T/t1.csv")"
# --strict names the first bad line's file and line, whatever -j
for j in 1 2 4; do
  expect_rc 2 "$AIQ" -j $j --strict --schema "$T/s.kql" -t B="$T/d" -q 'B | count'
  err_has "part1.jsonl.zst:15555"
done
# the reader's counts (files, bytes as stored, rows) do not depend on -j
for j in 1 2 4; do
  "$AIQ" -j $j --timing --schema "$T/s.kql" -t B="$T/d" -q 'B | summarize sum(a)' > /dev/null 2> "$T/time$j.err" || die "--timing -j $j"
  grep "read B:" "$T/time$j.err" > "$T/read$j" || die "no read line: $(cat "$T/time$j.err")"
done
cmp -s "$T/read1" "$T/read2" && cmp -s "$T/read1" "$T/read4" || die "read counts differ: $(cat "$T/read1" "$T/read2" "$T/read4")"
grep -qF "7 files" "$T/read1" || die "files counted: $(cat "$T/read1")"
grep -qF "119998 rows" "$T/read1" || die "rows counted: $(cat "$T/read1")"
# take stops at once, files still being decoded or not
for j in 2 4; do
  expect_rc 0 "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/d" -o tsv -q 'B | take 3 | project a'
  expect_out "$(printf 'a\n1\n2\n3')"
done
# the REPL keeps the columns it read from the files (a second query over
# them comes from memory, beside a column it lacks): its answers are the
# command line's, at -j 1 and 2
if command -v script >/dev/null; then
  cat > "$T/queries" <<'Q'
B | summarize n = count(), t = sum(a) by code | order by code asc
B | summarize n = count(), t = sum(a) by code | order by code asc
B | where code == "3" | project a, s | order by a desc | take 4
Q
  for j in 1 2; do
    i=0
    while IFS= read -r q; do
      i=$((i + 1))
      "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/d" -o csv -q "$q" > "$T/cli_$i.csv" 2>/dev/null || die "CLI: $q"
    done < "$T/queries"
    { printf '.format csv\n'; i=0
      while IFS= read -r q; do i=$((i + 1)); printf '.once %s/repl_%s.csv\n%s\n\n' "$T" $i "$q"; done < "$T/queries"
      printf '.quit\n'; } | timeout 60 script -qec "$AIQ -j $j --schema $T/s.kql -t B=$T/d" /dev/null > "$T/out" 2>&1 ||
      die "the REPL did not exit cleanly: $(tail -5 "$T/out")"
    for k in 1 2 3; do
      cmp -s "$T/cli_$k.csv" "$T/repl_$k.csv" || die "REPL -j $j, query $k: $(cat "$T/repl_$k.csv" 2>&1) :: CLI: $(cat "$T/cli_$k.csv")"
    done
  done
fi
# a corrupt file among the others: the error names it at every -j
head -c 40000 "$T/d/part2.jsonl.gz" > "$T/cut.gz" && mv "$T/cut.gz" "$T/d/part2.jsonl.gz"
for j in 1 2 4; do
  expect_rc 2 "$AIQ" -j $j --schema "$T/s.kql" -t B="$T/d" -q 'B | count'
  err_has "part2.jsonl.gz"
done
rm "$T/d/part2.jsonl.gz"
# Decoded ahead of a slow query: 8 files of 4 MB of text each, every column
# kept, a query (pack_all per row) far slower than the decoding. The batches
# waiting stay under an eighth of --max-memory, so 24M is enough; were every
# decoded batch kept until its turn, they would pass it.
rm -r "$T/d" && mkdir "$T/d"
awk 'BEGIN { pad = sprintf("%300s", ""); gsub(/ /, "x", pad)
  for (p = 0; p < 8; p++) { f = sprintf("'"$T"'/w%d.jsonl", p)
    for (i = 1; i <= 12000; i++) printf "{\"a\":%d,\"code\":\"%d\",\"s\":\"%s%d\"}\n", p * 12000 + i, i % 5, pad, i > f } }'
for p in 0 1 2 3 4 5 6 7; do gzip -1 -c "$T/w$p.jsonl" > "$T/d/w$p.jsonl.gz"; done
for j in 1 2; do
  expect_rc 0 "$AIQ" -j $j --max-memory 24M --schema "$T/s.kql" -t B="$T/d" -o tsv -q 'B | extend n = strlen(tostring(pack_all())) | summarize rows = count(), chars = sum(n)'
  cp "$T/out" "$T/wide$j"
done
cmp -s "$T/wide1" "$T/wide2" || die "wide rows: -j 2 differs: $(cat "$T/wide1" "$T/wide2")"
[ "$(sed -n 2p "$T/wide1" | cut -f1)" = 96000 ] || die "wide rows: $(cat "$T/wide1")"
