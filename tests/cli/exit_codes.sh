# Exit codes of CLI.md: 3 for --fail-on-rows with rows, 4 for resource limits,
# and no partial table on stdout when a query fails.
. tests/cli/lib.sh
printf '{"a":1}\n{"a":2}\n' > "$T/t.jsonl"
expect_rc 3 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o tsv -q 'T | where a > 1'
expect_out "a
2"
expect_rc 0 "$AIQ" -t T="$T/t.jsonl" --fail-on-rows -o tsv -q 'T | where a > 5'
expect_out "" # (no header alone for cron to mail: fail_on_rows_quiet.sh)
# a catastrophic regex stops at PCRE2's match limit: exit 4
python3 -c 'print("{\"s\":\"" + "a" * 40 + "b\"}")' > "$T/re.jsonl" 2>/dev/null || printf '{"s":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"}\n' > "$T/re.jsonl"
expect_rc 4 "$AIQ" -t T="$T/re.jsonl" -q 'T | where s matches regex "^(a+)+$"'
err_has "regex match limit exceeded"
[ ! -s "$T/out" ] || die "partial output on error"
# --max-memory: a cross product that would explode stops with exit 4
expect_rc 4 "$AIQ" --max-memory 64M -q 'range a from 1 to 20000 step 1 | extend k = 1 | join kind=inner (range b from 1 to 20000 step 1 | extend k = 1) on k | count'
err_has "memory limit reached (--max-memory 64 MiB)"
[ ! -s "$T/out" ] || die "partial output on error"
# within the limit the same shape of query runs
expect_rc 0 "$AIQ" --max-memory 64M -o tsv -q 'range a from 1 to 200 step 1 | extend k = 1 | join kind=inner (range b from 1 to 200 step 1 | extend k = 1) on k | count'
expect_out "Count
40000"
# a bad regex is a query error (exit 1) with its location
expect_rc 1 "$AIQ" -q 'print x = "a" matches regex "(unclosed"'
err_has "invalid regex '(unclosed'"
# an unreadable second input leaves stdout empty
expect_rc 2 "$AIQ" -t T="$T/t.jsonl" -t U=/no/such.jsonl -q 'T | union U'
[ ! -s "$T/out" ] || die "partial output on error"
# the reader itself stops at --max-memory (exit 4) and leaves stdout empty
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "{\"a\":%d,\"s\":\"%s\"}\n", i, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }' > "$T/big.jsonl"
# (stdin cannot be read twice: without a temporary file for a copy, its types come
# from loading it whole; with one, it streams and the same limit is enough)
TMPDIR=/no/such/dir expect_rc 4 "$AIQ" --max-memory 4M -t T=- -q 'T | summarize count()' < "$T/big.jsonl"
err_has "memory limit"
[ ! -s "$T/out" ] || die "partial output on error"
TMPDIR=$T expect_rc 0 "$AIQ" --max-memory 4M -t T=- -o csv -q 'T | summarize count()' < "$T/big.jsonl"
expect_out "$(printf 'count_\n60000')"
# a file streams after a first pass for its types, but sorting it keeps every row
expect_rc 4 "$AIQ" --max-memory 4M -t T="$T/big.jsonl" -q 'T | sort by a'
err_has "memory limit"
[ ! -s "$T/out" ] || die "partial output on error"
expect_rc 0 "$AIQ" --max-memory 256M -t T="$T/big.jsonl" -o tsv -q 'T | summarize n = count(), s = sum(a)'
expect_out "$(printf 'n\ts\n60000\t1799970000')"
