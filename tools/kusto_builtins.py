#!/usr/bin/env python3
"""kusto_builtins.py -- the checklist of Kusto's built-ins (tests/corpus/kusto_builtins.tsv).

  tools/kusto_builtins.py --docs DOCS/data-explorer/kusto/query [--aiq ./aiq] > tests/corpus/kusto_builtins.tsv
  tools/kusto_builtins.py --update-aiq tests/corpus/kusto_builtins.tsv [--aiq ./aiq]

The first form reads a checkout of the Kusto documentation (MicrosoftDocs/dataexplorer-docs):
the table of contents (toc.yml) names every tabular operator, scalar, aggregation, window,
time-series, geospatial and special function and every evaluate plugin, with its page; the
list pages (scalar-functions.md, aggregation-functions.md) add the second names they link to
the same page; each page's "Deprecated aliases" note, its "`A` and `B` are equivalent" note,
and the "deprecated in favor of" / "legacy and obsolete form" sentences give the other
spellings. The aiq columns come from asking the aiq binary (see corpus_lib.AiqProbe).
The second form only refreshes the aiq columns of an existing list (no docs needed), as
aiq learns names. Standard library only.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_lib  # noqa: E402

# toc.yml sections that hold built-ins, and the kind of an entry in each.
SECTION_KINDS = {
    "Tabular operators": "tabular",
    "Special functions": "tabular-function",
    "Scalar functions": "scalar",
    "Aggregation functions": "aggregate",
    "Time series analysis": "scalar",
    "Geospatial": "scalar",
    "Plugins": "plugin",
    "Window functions": "scalar",
    "Graph": "tabular",
}
# Special functions that return a scalar, not a table.
SCALAR_SPECIALS = {"toscalar"}


def read_toc(path):
    """Yields (section_path, name, href) for each toc entry with a page, section_path being
    the names of the enclosing items. The toc is plain nested YAML lists of
    {name, href, displayName, items}, read here by indentation."""
    stack = []  # (indent, name)
    current = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = re.match(r"^(\s*)- name:\s*(.*?)\s*$", line)
            if m:
                indent = len(m.group(1))
                while stack and stack[-1][0] >= indent:
                    stack.pop()
                current = [[n for _, n in stack], m.group(2).strip("'\""), None]
                stack.append((indent, current[1]))
                continue
            m = re.match(r"^\s*href:\s*(\S+)", line)
            if m and current is not None and current[2] is None:
                current[2] = m.group(1)
                yield tuple(current)


def entry_kind(sections, name):
    """Returns (kind, names) for a toc entry, or None when it is not a built-in (overview
    pages, join flavors, visualizations, graph functions usable only in graph-match).
    An entry can name several functions of one page: "percentile(), percentiles()"."""
    if not sections or sections[0] not in SECTION_KINDS:
        return None
    top = sections[0]
    if top == "Graph":
        if "Operators" not in sections or "overview" in name.lower():
            return None
        return "tabular", [name]
    # "summarize operator overview" is the page of the summarize operator
    m = re.match(r"^([A-Za-z_][\w-]*) (operator|plugin)( overview)?$", name)
    if m:
        if m.group(2) == "plugin":
            return "plugin", [m.group(1).lower()]  # "Python plugin" is evaluate python()
        return "tabular", [m.group(1)]
    if top in ("Tabular operators", "Plugins") or not re.match(r"^[A-Za-z_]\w*(\(\))?(, [A-Za-z_]\w*\(\))*$", name):
        return None
    names = re.findall(r"[A-Za-z_]\w*", name)
    kind = SECTION_KINDS[top]
    if top == "Special functions" and names[0] in SCALAR_SPECIALS:
        kind = "scalar"
    return kind, names


def list_page_names(docs, page):
    """(name, href) for each `[name()](page.md)` link of a function list page."""
    with open(os.path.join(docs, page), encoding="utf-8") as fh:
        for m in re.finditer(r"\[([A-Za-z_]\w*)\(\)\]\(([\w./-]+\.md)\)", fh.read()):
            yield m.group(1), os.path.basename(m.group(2))


def page_other_names(docs, page):
    """Returns (deprecated, equivalent) name lists that a page states for itself."""
    path = os.path.join(docs, page)
    if not os.path.exists(path):
        return [], []
    text = open(path, encoding="utf-8").read()
    deprecated, equivalent = [], []
    for m in re.finditer(r"\*\*Deprecated aliases:?\*\*:?\s*(.*)", text):
        deprecated += re.findall(r"([A-Za-z_]\w*)\(\)", m.group(1))
    for m in re.finditer(r"`([A-Za-z_]\w*)(?:\(\))?` has been deprecated in favor of", text):
        deprecated.append(m.group(1))
    for m in re.finditer(r"`([A-Za-z_][\w-]*)` is a legacy and obsolete form", text):
        deprecated.append(m.group(1))
    for m in re.finditer(r"The `([A-Za-z_][\w-]*)(?:\(\))?` and `([A-Za-z_][\w-]*)(?:\(\))?` (?:functions|operators) are equivalent", text):
        equivalent += [m.group(1), m.group(2)]
    return deprecated, equivalent


def build_rows(docs):
    rows, by_page = [], {}
    for sections, name, href in read_toc(os.path.join(docs, "toc.yml")):
        found = entry_kind(sections, name)
        if not found or "/" in href or not href.endswith(".md"):
            continue
        kind, names = found
        key = (href, corpus_lib.category_of_kind(kind))
        if key not in by_page:
            by_page[key] = {"name": names[0], "kind": kind, "doc_page": href,
                            "deprecated_aliases": [], "other_names": []}
            rows.append(by_page[key])
        row = by_page[key]
        row["other_names"] += [n for n in names if n != row["name"] and n not in row["other_names"]]
    for list_page, kind in (("scalar-functions.md", "scalar"), ("aggregation-functions.md", "aggregate")):
        for name, href in list_page_names(docs, list_page):
            row = by_page.get((href, "fn"))
            if row is None:
                row = {"name": name, "kind": kind, "doc_page": href, "deprecated_aliases": [], "other_names": []}
                by_page[(href, "fn")] = row
                rows.append(row)
            elif name != row["name"] and name not in row["other_names"]:
                row["other_names"].append(name)
    for row in rows:
        deprecated, equivalent = page_other_names(docs, row["doc_page"])
        for n in deprecated:
            if n != row["name"] and n not in row["deprecated_aliases"]:
                row["deprecated_aliases"].append(n)
        for n in equivalent:
            if n != row["name"] and n not in row["other_names"] and n not in row["deprecated_aliases"]:
                row["other_names"].append(n)
        # a name both deprecated and listed as a second name is deprecated
        row["other_names"] = [n for n in row["other_names"] if n not in row["deprecated_aliases"]]
    rows.sort(key=lambda r: (["tabular", "tabular-function", "scalar", "aggregate", "plugin"].index(r["kind"]), r["name"]))
    for r in rows:
        r["deprecated_aliases"] = ",".join(r["deprecated_aliases"]) or "-"
        r["other_names"] = ",".join(r["other_names"]) or "-"
    return rows


def fill_aiq(rows, aiq):
    """Sets each row's aiq column (yes: every spelling known, partial: some, no: none) and
    aiq_missing (the spellings aiq lacks)."""
    with corpus_lib.AiqProbe(aiq) as probe:
        for r in rows:
            cat = corpus_lib.category_of_kind(r["kind"])
            names = corpus_lib.all_names(r)
            missing = [n for n in names if not probe.knows(cat, n)]
            r["aiq"] = "no" if len(missing) == len(names) else "partial" if missing else "yes"
            r["aiq_missing"] = ",".join(missing) or "-"


def write_tsv(rows, out):
    out.write("\t".join(corpus_lib.TSV_COLUMNS) + "\n")
    for r in rows:
        out.write("\t".join(r[c] for c in corpus_lib.TSV_COLUMNS) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", help="the docs' data-explorer/kusto/query directory")
    ap.add_argument("--update-aiq", metavar="TSV", help="refresh the aiq columns of this list in place")
    ap.add_argument("--aiq", default="./aiq", help="the aiq binary (default ./aiq)")
    args = ap.parse_args()
    if bool(args.docs) == bool(args.update_aiq):
        ap.error("give exactly one of --docs and --update-aiq")
    if args.docs:
        rows = build_rows(args.docs)
        fill_aiq(rows, args.aiq)
        write_tsv(rows, sys.stdout)
    else:
        rows, _ = corpus_lib.load_builtins(args.update_aiq)
        fill_aiq(rows, args.aiq)
        tmp = args.update_aiq + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            write_tsv(rows, fh)
        os.replace(tmp, args.update_aiq)
    counts = {}
    for r in rows:
        counts.setdefault(r["kind"], [0, 0])
        counts[r["kind"]][0] += 1
        counts[r["kind"]][1] += r["aiq"] != "no"
    print("kusto_builtins: " + ", ".join("%s %d (aiq has %d)" % (k, n, h) for k, (n, h) in counts.items()),
          file=sys.stderr)


if __name__ == "__main__":
    main()
