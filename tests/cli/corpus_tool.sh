# corpus_tool.sh -- tools/corpus_check.py measures what it says: on a five-query corpus with
# made-up built-ins aiq will never have, the rates, the ranked reasons, the missing built-ins
# and a column mismatch are the hand-counted ones.
. tests/cli/lib.sh
command -v python3 > /dev/null || die "python3 is needed for tools/corpus_check.py"
C=$T/corpus
mkdir -p "$C/queries"
printf '.create table T (a:long, s:string)\n.create table U (a:long)\n' > "$C/schema.kql"
head -1 tests/corpus/kusto_builtins.tsv > "$C/kusto_builtins.tsv"
printf 'zz_future_fn\tscalar\tzz.md\tzzold\t-\tno\tzz_future_fn\nzzfutureop\ttabular\tzz-operator.md\t-\t-\tno\tzzfutureop\ncount\taggregate\tcount-aggregation-function.md\t-\t-\tyes\t-\nsummarize\ttabular\tsummarize-operator.md\t-\t-\tyes\t-\n' >> "$C/kusto_builtins.tsv"
printf 'T | summarize n = count() by s\n' > "$C/queries/001_binds.kql"
printf '// zz_future_fn(a) in a comment and "zzold(a)" in a string are not calls\nT | extend y = zzold(a)\n' > "$C/queries/002_unknown_fn.kql"
printf 'T | zzfutureop\n' > "$C/queries/003_unknown_op.kql"
printf 'T | project a\n' > "$C/queries/004_wrong_columns.kql"
printf 'T | where a >\n' > "$C/queries/005_syntax.kql"
cat > "$C/expected_columns.txt" <<'EOF'
001_binds.kql: columns: s:string, n:long
002_unknown_fn.kql: columns: a:long, s:string, y:string
003_unknown_op.kql: columns: a:long, s:string
004_wrong_columns.kql: columns: a:string
005_syntax.kql: columns: a:long, s:string
EOF
expect_rc 0 python3 tools/corpus_check.py --aiq "$AIQ" --corpus "$C"
out_has "syntax accepted       3/5   60.0%"
out_has "binds                 2/5   40.0%"
out_has "columns match         1/2   50.0%"
out_has "function-complete     3/5   60.0%"
out_has "      1  bind    unknown function 'zzold'  [002_unknown_fn.kql]"
out_has "      1  syntax  unknown query operator 'zzfutureop'  [003_unknown_op.kql]"
out_has "      1  syntax  parse error at end of query: expected an expression  [005_syntax.kql]"
out_has "      1  function zzold"
out_has "      1  operator zzfutureop"
out_has "  004_wrong_columns.kql
    kusto: columns: a:string
    aiq:   columns: a:long"
# the comment and the string in 002 named zz_future_fn and zzold: neither counts as a call
out_lacks "zz_future_fn"
expect_rc 0 python3 tools/corpus_check.py --aiq "$AIQ" --corpus "$C" --per-query
out_has "002_unknown_fn.kql	ok	fail	-	no	fn zzold	bind	unknown function 'zzold'"
out_has "004_wrong_columns.kql	ok	ok	differ	yes	-	-	-"
# a query missing from expected_columns.txt is reported, not silently counted as a mismatch
sed -i '1d' "$C/expected_columns.txt"
expect_rc 0 python3 tools/corpus_check.py --aiq "$AIQ" --corpus "$C"
err_has "not in expected_columns.txt (run --kqlcheck): 001_binds.kql"
expect_rc 2 python3 tools/corpus_check.py --aiq "$T/no-such-aiq" --corpus "$C"
err_has "is not an executable aiq"

# How reasons are grouped, on aiq's messages as they read today.
python3 - > "$T/norm" 2>&1 <<'PY' || die "normalize_reason: $(cat "$T/norm")"
import sys
sys.path.insert(0, "tools")
from corpus_lib import normalize_reason as n
cases = [
    (n("expected ')' to close '(' at 1:16, found '|'", True, "T | where x in (U | project a)"),
     "parse error at '|': expected ')' to close '(' after 'in'"),
    (n("expected ')' to close '(' at 1:17, found '|'", True, "print x=toscalar(U | count)"),
     "parse error at '|': expected ')' to close '(' after 'toscalar'"),
    (n("'lookup' is valid KQL but not supported by aiq yet", True), "valid KQL but not supported by aiq yet: lookup"),
    (n("unknown function 'pack'; did you mean 'pow'?", False), "unknown function 'pack'"),
    (n("unexpected character '\u00a0'", True), "parse error at U+00A0: unexpected character"),
    (n("'vips' is a table, not a scalar value", False), "'…' is a table, not a scalar value"),
    (n("expected an expression, found end of query", True), "parse error at end of query: expected an expression"),
]
bad = [(got, want) for got, want in cases if got != want]
for got, want in bad:
    print("got  %r\nwant %r" % (got, want))
sys.exit(1 if bad else 0)
PY
exit 0
