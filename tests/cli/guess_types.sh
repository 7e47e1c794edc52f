# One pass without a schema (issue 18.1, session/guess.c): a table without a declared or
# remembered schema is read once, with types guessed from the first block of its first file and
# every row verified against them. Each answer must be the one the types of every row give (the
# same query with the schema `aiq schema` infers from every row, declared), byte for byte, at 1, 2
# and 4 threads -- also when rows past the first block bring a new column, a real into a long
# column, a non-date into a datetime column, dates into a column that held only nulls, or a new
# column in a second file, and when the query reads only some rows (take), or drops rows on a
# where's test before building them: then the rows are read again with the right types. What is
# remembered for the next run is those right types.
. tests/cli/lib.sh
command -v python3 >/dev/null || die "python3 is needed to make the rows"
export XDG_CACHE_HOME="$T/cache"
python3 tests/data/gen_cache_rows.py 30000 "$T/base.jsonl"
# past the first block (1 MB of text at most: the guess never sees them)
python3 - "$T" <<'PY'
import json, sys
d = sys.argv[1]
base = open(d + "/base.jsonl").read().splitlines()
def write(name, rows):
    with open(d + "/" + name, "w") as f:
        f.write("\n".join(rows) + "\n")
late = lambda r: json.dumps(r)
write("newcol.jsonl", base + [late({"ts": "2026-11-21T00:00:00Z", "id": "late", "role": "x", "extra": 5})])
write("real.jsonl", base + [late({"ts": "2026-11-21T00:00:00Z", "id": "late", "n": 2.5})])
write("nondate.jsonl", base + [late({"ts": "yesterday", "id": "late"})])
nulls = [late({"v": i, "when": None}) for i in range(20000)]
write("nulls.jsonl", nulls + [late({"v": 1, "when": "2026-11-21T00:00:00Z"})])
write("part1.jsonl", base[:15000])
write("part2.jsonl", base[15000:] + [late({"id": "p2", "extra": "e"})])
PY
[ "$(head -c 1100000 "$T/base.jsonl" | wc -l)" -lt 30000 ] || die "the rows should be longer than the first block"
mkdir "$T/parts" && mv "$T/part1.jsonl" "$T/part2.jsonl" "$T/parts/"
Q1='T | summarize c = count(), s = sum(n), d = dcount(code), a = round(avg(dur), 6), m = max(ts) by role | order by role asc'
Q2='T | take 3'
Q3='T | getschema | project ColumnName, ColumnType'
Q4='T | where id == "late" or id == "p2" | project-away props, tags'
Q5='T | summarize c = count(), m = max(when), v = sum(v)'
for data in base.jsonl newcol.jsonl real.jsonl nondate.jsonl parts nulls.jsonl; do
  rm -rf "$T/cache"
  "$AIQ" schema -t T="$T/$data" > "$T/schema.kql" 2> "$T/err" || die "aiq schema failed on $data: $(cat "$T/err")"
  case $data in
  nulls.jsonl) printf '%s\n' "$Q5" "$Q2" "$Q3" > "$T/queries" ;;
  *) printf '%s\n' "$Q1" "$Q2" "$Q3" "$Q4" > "$T/queries" ;;
  esac
  while IFS= read -r q; do
    for j in 1 2 4; do
      rm -rf "$T/cache" # (a first run: no remembered schema)
      "$AIQ" -j $j --schema "$T/schema.kql" -t T="$T/$data" -o csv -q "$q" > "$T/want" 2> "$T/err" ||
        die "$data: the declared run failed: $q :: $(cat "$T/err")"
      "$AIQ" -j $j -t T="$T/$data" -o csv -q "$q" > "$T/got" 2> "$T/err" ||
        die "$data: the undeclared run failed: $q :: $(cat "$T/err")"
      cmp -s "$T/want" "$T/got" || die "$data -j $j: the answer with guessed types differs from the declared one for: $q :: $(diff "$T/want" "$T/got" | head -6)"
      # what is remembered is every row's types: the next run (one pass, no guess) agrees too
      "$AIQ" -j $j -t T="$T/$data" -o csv -q "$Q3" > "$T/got" 2> "$T/err"
      "$AIQ" -j $j --schema "$T/schema.kql" -t T="$T/$data" -o csv -q "$Q3" > "$T/want" 2> "$T/err"
      cmp -s "$T/want" "$T/got" || die "$data -j $j: after '$q' the remembered schema is wrong :: $(diff "$T/want" "$T/got" | head -6)"
    done
  done < "$T/queries"
done
# the guess stands on regular rows: one pass, no first pass for types
rm -rf "$T/cache"
expect_rc 0 "$AIQ" --timing -t T="$T/base.jsonl" -o csv -q "$Q1"
! grep -q 'first pass' "$T/err" || die "a first pass for rows the guess fits: $(cat "$T/err")"
[ "$(grep -c '^aiq: timing: read T: 1 file' "$T/err")" = 1 ] || die "base.jsonl should be read once: $(cat "$T/err")"
# a row that breaks it: read again after a first pass, with a word of none of it on stderr but --timing's
rm -rf "$T/cache"
expect_rc 0 "$AIQ" --timing -t T="$T/real.jsonl" -o csv -q "$Q1"
err_has "read T (first pass, for types): 1 file"
# a where that drops rows before building them still verifies them: the remembered type is real
rm -rf "$T/cache"
expect_rc 0 "$AIQ" -t T="$T/real.jsonl" -o csv -q 'T | where id == "nothing" | count'
expect_rc 0 "$AIQ" -t T="$T/real.jsonl" -o csv -q 'T | getschema | where ColumnName == "n" | project ColumnType'
expect_out "$(printf 'ColumnType\nreal')"
# a single JSON value (an array of rows) is not guessed: the types of every row
printf '[{"a":1},{"a":2.5}]\n' > "$T/array.json"
rm -rf "$T/cache"
expect_rc 0 "$AIQ" -t T="$T/array.json" -o csv -q 'T | summarize sum(a)'
expect_out "$(printf 'sum_a\n3.5')"
