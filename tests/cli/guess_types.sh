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
# A scan that reads only some columns verifies only their types (session/guess.c): a column X
# that breaks the guess past the first block (a real among longs: n of real.jsonl; a non-date
# among dates: ts of nondate.jsonl) changes nothing for a query that does not read X -- the file
# is read once, no first pass -- while a query that reads X (as a value, or in a where tested on
# the raw line, or in one leg of a join) reads it again. Every answer is the declared schema's.
# The partly verified guess is not remembered: the next run finds X's true type.
for data in real.jsonl nondate.jsonl; do
  case $data in
  real.jsonl) x='T | summarize s = sum(n), c = countif(n > 2) by role | order by role asc'
              w='T | where n == 2.5 | count' ;;
  *) x='T | summarize m = max(ts), c = count() by role | order by role asc'
     w='T | where isnotempty(ts) | count' ;;
  esac
  rm -rf "$T/cache"
  "$AIQ" schema -t T="$T/$data" > "$T/schema.kql" 2> "$T/err" || die "aiq schema failed on $data: $(cat "$T/err")"
  while IFS='|' read -r passes q; do
    for j in 1 2 4; do
      rm -rf "$T/cache"
      "$AIQ" -j $j --schema "$T/schema.kql" -t T="$T/$data" -o csv -q "$q" > "$T/want" 2> "$T/err" ||
        die "$data: the declared run failed: $q :: $(cat "$T/err")"
      expect_rc 0 "$AIQ" --timing -j $j -t T="$T/$data" -o csv -q "$q"
      cmp -s "$T/want" "$T/out" || die "$data -j $j: the answer differs from the declared one for: $q :: $(diff "$T/want" "$T/out" | head -6)"
      reads=$(grep -c '^aiq: timing: read T: 1 file' "$T/err")
      if [ "$passes" = once ]; then
        [ "$reads" = 1 ] && ! grep -q 'first pass' "$T/err" ||
          die "$data -j $j: a query not reading the misfit column should read the file once: $q :: $(grep 'read T' "$T/err")"
        # not remembered as the table's schema: the next run sees every row's types
        expect_rc 0 "$AIQ" -j $j -t T="$T/$data" -o csv -q "$Q3"
        "$AIQ" -j $j --schema "$T/schema.kql" -t T="$T/$data" -o csv -q "$Q3" > "$T/want" 2> "$T/err"
        cmp -s "$T/want" "$T/out" || die "$data -j $j: after '$q' the guess was remembered :: $(diff "$T/want" "$T/out" | head -6)"
      else
        grep -q 'read T (first pass, for types): 1 file' "$T/err" && [ "$reads" -ge 2 ] ||
          die "$data -j $j: a query reading the misfit column should read the file again: $q :: $(grep 'read T' "$T/err")"
      fi
    done
  done <<Q
once|T | count
once|T | summarize c = count() by role | order by role asc
once|T | where role == "chat-api" | summarize c = count(), d = dcount(code)
again|$x
again|$w
again|T | summarize c = count() by role | join kind=inner ($x) on role | order by role asc
Q
done
# the REPL verifies whole rows (its cache keeps columns for later queries): a query not reading
# n, then one reading n (part from the cache, part from the file), answer as declared
if command -v script >/dev/null; then
  rm -rf "$T/cache"
  "$AIQ" schema -t T="$T/real.jsonl" > "$T/schema.kql" 2> "$T/err"
  q1='T | summarize c = count() by role | order by role asc'
  q2='T | summarize c = count(), s = sum(n) by role | order by role asc'
  "$AIQ" --schema "$T/schema.kql" -t T="$T/real.jsonl" -o csv -q "$q1" > "$T/want1"
  "$AIQ" --schema "$T/schema.kql" -t T="$T/real.jsonl" -o csv -q "$q2" > "$T/want2"
  rm -rf "$T/cache"
  printf '.format csv\n.once %s/got1\n%s\n\n.once %s/got2\n%s\n\n.quit\n' "$T" "$q1" "$T" "$q2" |
    XDG_STATE_HOME="$T/state" timeout 120 script -qec "$AIQ -t T=$T/real.jsonl" /dev/null > "$T/out" 2>&1 ||
    die "the REPL did not exit cleanly: $(tail -5 "$T/out")"
  cmp -s "$T/want1" "$T/got1" && cmp -s "$T/want2" "$T/got2" ||
    die "the REPL's answers differ from the declared ones :: $(diff "$T/want2" "$T/got2" | head -6)"
fi
