#!/usr/bin/env python3
"""test_docs_examples.py -- the comparer of docs_examples.py: lenient where a page
spells a value its own way, never so lenient that a wrong value passes.

usage: python3 tools/docs_examples/test_docs_examples.py
"""

import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ left in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docs_examples as de  # noqa: E402


def cell(markdown):
    """A cell as the tool reads it from a table row '| markdown |'."""
    return de.split_cells("| %s |" % markdown)[0]


class DynamicSpellings(unittest.TestCase):
    def ok(self, markdown, value, ktype="dynamic"):
        self.assertTrue(de.cell_matches(cell(markdown), value, ktype), markdown)

    def bad(self, markdown, value, ktype="dynamic"):
        self.assertFalse(de.cell_matches(cell(markdown), value, ktype), markdown)

    def test_single_quotes(self):
        self.ok("{'a': 1,'b': '2','c': 3.4}", {"a": 1, "b": "2", "c": 3.4})
        self.ok("['a','b']", ["a", "b"])
        self.bad("{'a': 1,'b': '2'}", {"a": 1, "b": 2})      # '2' is a string
        self.bad("['a','b']", ["a", "c"])

    def test_bare_words(self):
        self.ok("[yes, no, yes]", ["yes", "no", "yes"])
        self.ok("[TRUE, false]", [True, False])
        self.bad("[yes, no, yes]", ["yes", "yes", "yes"])
        self.bad("[1, 2]", ["1", "2"])                          # a bare number is a number
        self.bad("[true]", ["true"])

    def test_numbers_to_the_digits_printed(self):
        self.ok("[0.84, 0.0]", [0.841200780564753, 0.0])
        self.ok("[32.667]", [32.666666666666664])
        self.bad("[0.84, 0.0]", [0.846, 0.0])
        self.bad("[73]", [74])
        self.bad("[10]", [10.4])                                # a whole number is not a rounding
        self.ok("[10]", [10.0])

    def test_elided_elements(self):
        self.ok('["a","b",.....,"z"]', ["a", "b", "c", "d", "z"])
        self.ok('[1, ..., 9]', [1, 9])
        self.bad('["a","b",.....,"z"]', ["a", "c", "d", "z"])
        self.bad('["a","b",.....,"z"]', ["a", "b", "c", "y"])
        self.bad('["a","b",...,"z"]', ["a", "z"])               # too short for what is shown

    def test_code_span_is_literal(self):
        self.ok(r"`\(so\$me\.Te\^xt\)`", r"\(so\$me\.Te\^xt\)", "string")
        self.bad(r"`\(so\$me\.Te\^xt\)`", r"(so\$me.Te\^xt)", "string")

    def test_escapes_as_written(self):
        # markdown renders \\ as \, JSON reads \\ as \: the page means C:\temp
        self.ok(r'{"DirectoryPath":"C:\\temp"}', {"DirectoryPath": "C:\\temp"})
        self.ok(r"\\shared\users", r"\\shared\users", "string")
        self.bad(r'{"DirectoryPath":"C:\\temp"}', {"DirectoryPath": "C:\\tmp"})
        self.bad(r"a\*b", r"a\*b", "string")                   # only backslashes are read as written

    def test_quoted_string(self):
        self.ok('"eAEBFA=="', "eAEBFA==", "string")
        self.bad('"eAEBFA=="', "eAEBFB==", "string")


class Tables(unittest.TestCase):
    def test_row_without_leading_pipe(self):
        lines = ["|str|", "|---|", "0123abc|", "", "text"]
        header, rows, _ = de.read_table(lines, 0)
        self.assertEqual(header, ["str"])
        self.assertEqual(rows, [["0123abc"]])

    def test_header_slip_still_checks_values(self):
        def run(cells):
            ex = de.Example("p.md", 1, "print 1", ["result"], [[de.clean_cell(c) for c in cells]])
            ex.kusto_columns, ex.result = [("print_0", "long")], [{"print_0": 1}]
            de.compare(ex)
            return ex
        ex = run(["1"])
        self.assertEqual(ex.status, "wrong")
        self.assertTrue(ex.detail.endswith("values: they match"), ex.detail)
        ex = run(["2"])
        self.assertEqual(ex.status, "wrong")
        self.assertNotIn("they match", ex.detail)

    def test_top_nested_does_not_order(self):
        self.assertIsNone(de.ORDERS.search("T | top-nested 2 of a by max(b)"))
        self.assertIsNotNone(de.ORDERS.search("T | top 2 by b"))


if __name__ == "__main__":
    unittest.main()
