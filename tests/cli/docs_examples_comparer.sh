# docs_examples_comparer.sh -- the docs-examples tool's comparer (tools/docs_examples) reads
# the Kusto pages' spellings of a value ('quotes', bare words, '...', digits printed, code
# spans, escapes as written) as what they mean, and still tells a wrong value from a right one.
# The tool itself needs a docs checkout and runs by hand; its comparer is tested here.
. tests/cli/lib.sh
command -v python3 > /dev/null || die "python3 is needed for tools/docs_examples"
expect_rc 0 python3 tools/docs_examples/test_docs_examples.py
grep -q '^OK' "$T/err" || die "comparer tests: $(cat "$T/err")"
