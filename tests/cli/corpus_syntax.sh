# corpus_syntax.sh -- aiq against the KQL corpus of issue 14 (tests/corpus, see its README):
# how many queries `aiq check --syntax` accepts and how many bind against the corpus schema
# may only go up (raise the floors as KQL breadth lands), every query that binds has the
# result columns Kusto infers, and no corpus query crashes aiq.
# tools/corpus_check.py gives the full report: rates, failure reasons, missing built-ins.
. tests/cli/lib.sh
SYNTAX_FLOOR=371 # of 371: queries `aiq check --syntax` accepts
BIND_FLOOR=362   # of 371: queries `aiq check --schema tests/corpus/schema.kql` binds
C=tests/corpus
Q=$C/queries

n=$(ls "$Q"/*.kql | wc -l)
[ "$n" -ge 250 ] || die "the corpus has $n queries, want 250 or more"
# Kusto's columns are recorded for each query, once (tools/corpus_check.py --kqlcheck writes them)
ls "$Q" | sed 's/$/:/' > "$T/names"
cut -d' ' -f1 "$C/expected_columns.txt" > "$T/recorded"
diff "$T/names" "$T/recorded" > "$T/d" || die "expected_columns.txt is not one line per query, in order: $(cat "$T/d")"

# failing_files FILE: how many distinct queries have an error line in FILE
failing_files() { grep -o "^$Q/[^:]*\.kql:[0-9]*:[0-9]*: error:" "$1" | cut -d: -f1 | sort -u | wc -l; }
# no_crash RC ERRFILE WHAT: aiq reported errors the normal way, without a crash or sanitizer report
no_crash() {
  [ "$1" -le 1 ] || die "$3 exited with status $1 (a crash?): $(tail -5 "$2")"
  ! grep -q 'Sanitizer\|runtime error' "$2" || die "$3: sanitizer report: $(grep -m3 'Sanitizer\|runtime error' "$2")"
}

"$AIQ" check --syntax "$Q"/*.kql > "$T/syn.out" 2> "$T/syn.err"
no_crash $? "$T/syn.err" "aiq check --syntax over the corpus"
accepted=$((n - $(failing_files "$T/syn.err")))
[ "$accepted" -ge "$SYNTAX_FLOOR" ] ||
  die "aiq check --syntax accepts $accepted of $n corpus queries, fewer than the floor $SYNTAX_FLOOR:
$(grep "^$Q/.*: error:" "$T/syn.err" | head -20)"

"$AIQ" check --schema "$C/schema.kql" --explain "$Q"/*.kql > "$T/bind.out" 2> "$T/bind.err"
no_crash $? "$T/bind.err" "aiq check --schema over the corpus"
binds=$((n - $(failing_files "$T/bind.err")))
[ "$binds" -ge "$BIND_FLOOR" ] ||
  die "$binds of $n corpus queries bind, fewer than the floor $BIND_FLOOR:
$(grep "^$Q/.*: error:" "$T/bind.err" | head -20)"

# Every query aiq binds has Kusto's result columns: names, types and order
# (a library of only lets has none: "ok", as kqlcheck says; a guid is held
# as a string, SEMANTICS.md).
sed "s#^$Q/##" "$T/bind.out" | grep -E ': (columns: |ok$)' > "$T/got"
[ "$(wc -l < "$T/got")" -eq "$binds" ] || die "$binds queries bind but $(wc -l < "$T/got") column lines were printed"
sed 's/:guid\([,]\|$\)/:string\1/g' "$C/expected_columns.txt" > "$T/expected"
if ! grep -vxFf "$T/expected" "$T/got" > "$T/wrong"; then :; fi
[ ! -s "$T/wrong" ] || die "result columns differ from Kusto's (tests/corpus/expected_columns.txt):
$(head -5 "$T/wrong")"
exit 0
