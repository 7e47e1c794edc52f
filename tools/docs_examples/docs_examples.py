#!/usr/bin/env python3
"""docs_examples.py -- run the Kusto documentation's self-contained examples through aiq.

usage: tools/docs_examples/docs_examples.py [options] DOCS_CHECKOUT

DOCS_CHECKOUT is a checkout of MicrosoftDocs/dataexplorer-docs. The tool finds every
```kusto block that is followed by its output table, keeps the examples whose only sources
are print, datatable and range (Microsoft's own parser, kqlcheck, decides: with an empty
database every table name is unknown to it), runs each through aiq and compares the result
with the documented table, leniently: numbers to the precision printed, datetimes and
timespans as instants and durations whatever their spelling, null as an empty cell, dynamic
values as JSON, row order only when the query orders its rows.

It is a local measurement, not a test: nothing of the documentation is written into the
repository. known.json (beside this file) holds the judgements made by hand about answers
that differ from the page for a reason other than an aiq bug (a doc error, say), keyed by
the page and a hash of the query.

Python 3 standard library only; kqlcheck needs node (see ../../../shared/tools/kqlcheck).
"""

import argparse
import collections
import concurrent.futures
import datetime
import hashlib
import html
import json
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NOW = "2026-01-01T00:00:00Z"

# ---------------------------------------------------------------------------------------
# Finding examples: a ```kusto block, then (before any other code block or section) a
# markdown table.

FENCE_KUSTO = re.compile(r"^\s*```\s*(kusto|kql)\s*$", re.I)
FENCE_ANY = re.compile(r"^\s*(```|~~~)")
TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
OUTPUT_HEADING = re.compile(r"^(output|results?|example output)\s*:?$", re.I)
LOOKAHEAD_LINES = 30


class Example:
    """One documented query and the table printed after it."""

    def __init__(self, path, line, query, header, rows):
        self.path = path          # page, relative to the checkout
        self.line = line          # 1-based line of the opening fence
        self.query = query
        self.header = header      # column names of the documented table
        self.rows = rows          # cells, as text
        self.key = "%s#%s" % (path, hashlib.sha1(query.encode()).hexdigest()[:10])
        self.status = None        # see STATUSES
        self.detail = ""
        self.kusto_columns = None  # [(name, type)] as Kusto's analyzer infers them

    @property
    def where(self):
        return "%s:%d" % (self.path, self.line)


def split_cells(line):
    """Cells of a markdown table row; '\\|' is a pipe inside a cell."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            cur.append("|")
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append("".join(cur))
    return [clean_cell(c) for c in cells]


def clean_cell(text):
    """A cell's text as a reader sees it: no markdown emphasis, escapes, <br> or entities."""
    t = text.strip()
    t = re.sub(r"<br\s*/?>", "\n", t, flags=re.I)
    t = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>~])", r"\1", t)
    if len(t) >= 2 and t[0] == "`" and t[-1] == "`":
        t = t.strip("`")
    if len(t) >= 4 and t.startswith("**") and t.endswith("**"):
        t = t[2:-2]
    t = html.unescape(t)
    t = re.sub(r"<((?:https?|ftp|mailto):[^>]*)>", r"\1", t)  # markdown autolinks
    return t.strip()


def read_table(lines, i):
    """Parses the table whose header is lines[i]; returns (header, rows, next line)."""
    header = split_cells(lines[i])
    rows = []
    j = i + 2
    while j < len(lines) and lines[j].strip().startswith("|"):
        rows.append(split_cells(lines[j]))
        j += 1
    return header, rows, j


def find_examples(root):
    examples = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if fn.endswith(".md"):
                full = os.path.join(dirpath, fn)
                examples.extend(examples_in(full, os.path.relpath(full, root)))
    return examples


def examples_in(full, rel):
    with open(full, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    out, seen = [], set()
    i = 0
    while i < len(lines):
        if not FENCE_KUSTO.match(lines[i]):
            i += 1
            continue
        start = i
        body = []
        i += 1
        while i < len(lines) and not FENCE_ANY.match(lines[i]):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        indent = min((len(l) - len(l.lstrip()) for l in body if l.strip()), default=0)
        query = "\n".join(l[indent:] for l in body).strip()
        table = None
        j = i
        while j < len(lines) and j < i + LOOKAHEAD_LINES:
            l = lines[j]
            if FENCE_ANY.match(l):
                break
            h = HEADING.match(l)
            if h and not OUTPUT_HEADING.match(h.group(1).strip().strip("*")):
                break
            if l.strip().startswith("|") and j + 1 < len(lines) and TABLE_SEP.match(lines[j + 1]):
                table = read_table(lines, j)
                break
            j += 1
        if table and query and query not in seen:
            seen.add(query)  # the same example shown for several products
            header, rows, _ = table
            out.append(Example(rel, start + 1, query, header, rows))
    return out


# ---------------------------------------------------------------------------------------
# Which examples are self-contained: Kusto's parser with an empty database.

# Names Kusto could not resolve: a table, function or column the page defines elsewhere.
UNRESOLVED_CODES = {"KS204", "KS142", "KS208", "KS211", "KS212", "KS213"}
EXTERNAL_SOURCE = re.compile(
    r"\b(externaldata|external_table|materialized_view|cluster|database|table|graph|"
    r"stored_query_result)\s*\(", re.I)
# Results that differ from run to run: no page can show them.
NONDETERMINISTIC = re.compile(r"\b(now|ago|rand|new_guid|current_\w+|cursor_\w+|"
                              r"ingestion_time|extent_id|extent_tags)\s*\(|\bsample(-distinct)?\b", re.I)


def strip_comments(query):
    return re.sub(r"^\s*//.*$", "", query, flags=re.M)


def classify(examples, kqlcheck):
    """Sets status 'external', 'command', 'invalid' or None (self-contained) on each."""
    todo = []
    for ex in examples:
        if strip_comments(ex.query).lstrip().startswith("."):
            ex.status = "command"
        elif EXTERNAL_SOURCE.search(ex.query):
            ex.status = "external"
        else:
            todo.append(ex)
    with tempfile.TemporaryDirectory() as tmp:
        schema = os.path.join(tmp, "empty.json")
        with open(schema, "w") as f:
            f.write("{}")
        files = {}
        for n, ex in enumerate(todo):
            p = os.path.join(tmp, "%05d.kql" % n)
            with open(p, "w") as f:
                f.write(ex.query)
            files[p] = ex
        paths = sorted(files)
        for k in range(0, len(paths), 300):
            batch = paths[k:k + 300]
            r = subprocess.run([kqlcheck, "--schema", schema, "--columns", "--json"] + batch,
                               capture_output=True, text=True)
            got = {}
            for line in r.stdout.splitlines():
                if line.startswith("{"):
                    o = json.loads(line)
                    got[o["file"]] = o
            if not got:
                sys.exit("docs_examples: kqlcheck gave no answer: %s" % r.stderr.strip()[:500])
            for p in batch:
                ex = files[p]
                o = got.get(p)
                if o is None:
                    ex.status = "invalid"
                    ex.detail = "kqlcheck gave no answer"
                    continue
                errors = [d for d in o["diagnostics"] if d["severity"] == "Error"]
                if any(d["code"] in UNRESOLVED_CODES for d in errors):
                    ex.status = "external"
                    ex.detail = errors[0]["message"]
                elif errors:
                    ex.status = "invalid"
                    ex.detail = "%s %s" % (errors[0]["code"], errors[0]["message"])
                else:
                    cols = o.get("columns") or []
                    ex.kusto_columns = [(c["name"], c["type"]) for c in cols]
                    if not cols:  # a scalar expression or a fragment: no table to show
                        ex.status = "invalid"
                        ex.detail = "Kusto's parser infers no result table"


# ---------------------------------------------------------------------------------------
# Running aiq.

UNSUPPORTED_OP = re.compile(r"'([^']+)' is valid KQL but not supported by aiq yet")
UNSUPPORTED_OPTION = re.compile(r"valid KQL but not supported by aiq yet: (.+)$")
UNKNOWN_FUNCTION = re.compile(r"unknown function '([^']+)'")


def run_aiq(aiq, ex, timeout):
    """Runs the example; sets ex.result (list of ordered dicts) or ex.status='unsupported'."""
    try:
        r = subprocess.run([aiq, "--now", NOW, "-o", "json", "-q", ex.query],
                           capture_output=True, text=True, timeout=timeout, cwd=tempfile.gettempdir())
    except subprocess.TimeoutExpired:
        ex.status, ex.detail, ex.feature = "unsupported", "timed out", "timeout"
        return
    if r.returncode != 0:
        msg = next((l for l in r.stderr.splitlines() if "error:" in l), r.stderr.strip())
        msg = msg.split("error:", 1)[-1].strip()
        ex.status, ex.detail, ex.feature = "unsupported", msg, feature_of(msg, r.returncode)
        return
    try:
        ex.result = json.loads(r.stdout, object_pairs_hook=collections.OrderedDict)
    except ValueError as e:
        ex.status, ex.detail, ex.feature = "unsupported", "bad JSON from aiq: %s" % e, "bad output"


def feature_of(msg, rc):
    """Groups an aiq error by the feature it lacks."""
    m = UNSUPPORTED_OPTION.search(msg)
    if m:
        return "option " + m.group(1)
    m = UNSUPPORTED_OP.search(msg)
    if m:
        return "operator " + m.group(1)
    m = UNKNOWN_FUNCTION.search(msg)
    if m:
        return "function %s()" % m.group(1)
    if rc > 1:
        return "exit %d: %s" % (rc, re.sub(r"'[^']*'", "'…'", msg)[:80])
    return re.sub(r"'[^']*'", "'…'", msg)[:80]


def family(feature):
    """geo_point_in_circle() -> functions geo_*; operators and the rest as they are."""
    m = re.match(r"function ([a-z0-9]+)_\w*\(\)$", feature)
    if m and m.group(1) in ("geo", "array", "series", "bag", "ipv4", "ipv6", "base64", "unicode",
                            "convert", "set", "make", "punycode", "url", "zlib", "datetime", "binary",
                            "row", "beta", "format", "parse", "current", "hll", "percentiles"):
        return "functions %s_*" % m.group(1)
    if feature.startswith("function "):
        return "other functions"
    return feature


# ---------------------------------------------------------------------------------------
# Comparing values.

TICKS_PER_SECOND = 10_000_000
EPOCH = datetime.datetime(1, 1, 1)
DT_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]00:?00)?$")
DT_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([AP]M)?)?$", re.I)
TS = re.compile(r"^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$")


def frac_ticks(frac):
    return int((frac or "0")[:7].ljust(7, "0"))


def datetime_ticks(text):
    """Ticks since 0001-01-01 of a datetime in any spelling the pages use, or None."""
    t = text.strip()
    m = DT_ISO.match(t)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hh, mm, ss = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
        frac = m.group(7)
    else:
        m = DT_US.match(t)
        if not m:
            return None
        mo, d, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hh, mm, ss = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
        frac = m.group(7)
        ampm = (m.group(8) or "").upper()
        if ampm == "PM" and hh < 12:
            hh += 12
        elif ampm == "AM" and hh == 12:
            hh = 0
    try:
        dt = datetime.datetime(y, mo, d, hh, mm, ss)
    except ValueError:
        return None
    delta = dt - EPOCH
    return (delta.days * 86400 + delta.seconds) * TICKS_PER_SECOND + frac_ticks(frac)


def timespan_ticks(text):
    m = TS.match(text.strip())
    if not m:
        return None
    days = int(m.group(2) or 0)
    secs = days * 86400 + int(m.group(3)) * 3600 + int(m.group(4)) * 60 + int(m.group(5))
    v = secs * TICKS_PER_SECOND + frac_ticks(m.group(6))
    return -v if m.group(1) else v


def is_null_text(text):
    return text.strip().lower() in ("", "null", "(null)")


def number_close(doc_text, value):
    """True when value prints as doc_text to the precision the page shows."""
    t = doc_text.strip().replace(",", "") if re.match(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$", doc_text.strip()) else doc_text.strip()
    low = t.lower().replace("\u221e", "inf").replace("infinity", "inf").lstrip("+")
    if low in ("nan", "inf", "-inf"):
        if isinstance(value, str):
            return value.lower().replace("infinity", "inf").lstrip("+") == low
        return False
    try:
        d = float(t)
    except ValueError:
        return False
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if value == d:
        return True
    m = re.match(r"^-?\d*(?:\.(\d+))?(?:[eE]([+-]?\d+))?$", t)
    if m:
        decimals = len(m.group(1) or "") - int(m.group(2) or 0)
        if abs(value - d) <= 0.5 * 10 ** (-decimals) * (1 + 1e-9):
            return True
    return math.isclose(value, d, rel_tol=1e-6)


def json_equal(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or math.isclose(a, b, rel_tol=1e-9)
    if isinstance(a, str) and isinstance(b, str):
        return a == b or same_instant(a, b)
    return a == b


def same_instant(a, b):
    x, y = datetime_ticks(a), datetime_ticks(b)
    return x is not None and x == y


def squash(s):
    return re.sub(r"\s+", "", s)


def cell_matches(doc, value, ktype):
    """Whether aiq's JSON value is what the page shows; ktype is Kusto's column type."""
    if value is None:
        return is_null_text(doc)
    if isinstance(value, str) and value == "" and is_null_text(doc):
        return True
    if isinstance(value, bool):
        return doc.strip().lower() == ("true" if value else "false") or doc.strip() == ("1" if value else "0")
    if isinstance(value, (int, float)):
        return number_close(doc, value)
    if value in ("NaN", "Infinity", "-Infinity"):  # how aiq's JSON writes non-finite reals
        return number_close(doc, value)
    if isinstance(value, (list, dict)):
        try:
            d = json.loads(doc)
        except ValueError:
            return squash(doc) == squash(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        return json_equal(d, value)
    # strings: also datetimes and timespans as aiq prints them
    if ktype == "datetime" or DT_ISO.match(value):
        a, b = datetime_ticks(doc), datetime_ticks(value)
        if a is not None and b is not None:
            return a == b
    if ktype == "timespan" or TS.match(value):
        a, b = timespan_ticks(doc), timespan_ticks(value)
        if a is not None and b is not None:
            return a == b
    if ktype == "dynamic":
        try:
            return json_equal(json.loads(doc), value)
        except ValueError:
            pass
    if doc == value or squash(doc) == squash(value):
        return True
    if ktype in ("real", "double", "long", "int", "decimal"):
        try:
            return number_close(doc, float(value))
        except ValueError:
            return False
    return False


# top orders its rows; top-nested does not (the docs' own outputs interleave its groups)
ORDERS = re.compile(r"\b(sort|order)\s+by\b|\|\s*top\b(?!-)|\bserialize\b|\brow_number\s*\(|"
                    r"\bmake_list\b|\bmake_set\b|\bprev\s*\(|\bnext\s*\(", re.I)


def compare(ex):
    """Sets ex.status to 'right' or 'wrong' (with ex.detail)."""
    rows = ex.result
    names = list(rows[0].keys()) if rows else None
    kinds = dict(ex.kusto_columns or [])
    header = ex.header
    if names is not None and names != header:
        kusto_names = [n for n, _ in ex.kusto_columns or []]
        if [n.lower() for n in names] == [h.lower() for h in header] and kusto_names == names:
            pass  # the page capitalizes differently from the query; Kusto's parser sides with aiq
        else:
            ex.status = "wrong"
            ex.detail = "columns: page %s, aiq %s%s" % (header, names, kusto_names_note(ex, names))
            return
    cols = names or header
    doc_rows = [r for r in ex.rows if any(c.strip() for c in r) or len(cols) == 1]
    doc_rows = [r for r in doc_rows if not all(c.strip() in ("...", "…") for c in r)]
    if len(doc_rows) != len(rows):
        ex.status = "wrong"
        ex.detail = "rows: page %d, aiq %d" % (len(doc_rows), len(rows))
        return

    def row_ok(doc, got):
        if len(doc) < len(cols):
            doc = doc + [""] * (len(cols) - len(doc))
        return all(cell_matches(doc[k], got[c], kinds.get(c)) for k, c in enumerate(cols))

    if ORDERS.search(ex.query):
        for k, (d, g) in enumerate(zip(doc_rows, rows)):
            if not row_ok(d, g):
                ex.status = "wrong"
                ex.detail = "row %d: page %s, aiq %s" % (k + 1, d, json.dumps(g, ensure_ascii=False))
                return
    else:
        left = list(rows)
        for d in doc_rows:
            hit = next((k for k, g in enumerate(left) if row_ok(d, g)), None)
            if hit is None:
                ex.status = "wrong"
                near = left[0] if left else None
                ex.detail = "no aiq row for page row %s (first unmatched aiq row %s)" % (
                    d, json.dumps(near, ensure_ascii=False))
                return
            left.pop(hit)
    ex.status = "right"


def kusto_names_note(ex, names):
    if ex.kusto_columns is None:
        return ""
    kn = [n for n, _ in ex.kusto_columns]
    if kn == names:
        return " (Kusto's parser infers aiq's names)"
    if kn == ex.header:
        return " (Kusto's parser infers the page's names)"
    return " (Kusto's parser infers %s)" % kn


# ---------------------------------------------------------------------------------------


def load_known():
    path = os.path.join(HERE, "known.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", help="checkout of MicrosoftDocs/dataexplorer-docs")
    ap.add_argument("--aiq", default=os.path.join(REPO, "aiq"))
    ap.add_argument("--kqlcheck", default=os.path.join(REPO, "..", "shared", "tools", "kqlcheck", "kqlcheck"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--only", help="regex: keep the pages whose path matches")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each wrong and unsupported example")
    ap.add_argument("--show", help="print the query, page table and aiq rows of examples whose KEY or PAGE:LINE matches")
    ap.add_argument("--json", help="write every example's outcome to this file")
    args = ap.parse_args()

    args.aiq = os.path.abspath(args.aiq)  # aiq runs in a scratch directory
    examples = find_examples(args.docs)
    if args.only:
        examples = [e for e in examples if re.search(args.only, e.path)]
    classify(examples, args.kqlcheck)
    selfc = [e for e in examples if e.status is None]
    for e in selfc:
        if NONDETERMINISTIC.search(e.query):
            e.nondeterministic = True
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(lambda e: run_aiq(args.aiq, e, args.timeout), selfc))
    known = load_known()
    for e in selfc:
        if e.status is None:
            if getattr(e, "nondeterministic", False):
                e.status = "varies"
                continue
            compare(e)
            if e.status == "wrong" and e.key in known:
                e.status = "explained"
                e.note = known[e.key]

    counts = collections.Counter(e.status for e in examples)
    runnable = [e for e in selfc if e.status in ("right", "wrong", "explained", "varies")]
    print("examples with an output table: %d" % len(examples))
    print("  not self-contained (tables or functions defined elsewhere): %d" % counts["external"])
    print("  management commands: %d" % counts["command"])
    print("  rejected by Kusto's own parser, or not a query with a result: %d" % counts["invalid"])
    print("self-contained (print, datatable, range): %d" % len(selfc))
    print("  runnable by aiq: %d" % len(runnable))
    print("    right: %d" % counts["right"])
    print("    wrong: %d" % counts["wrong"])
    print("    explained in known.json: %d" % counts["explained"])
    kinds = collections.Counter(e.note["kind"] for e in selfc if e.status == "explained")
    for k, n in sorted(kinds.items()):
        print("      %s: %d" % (k, n))
    print("    result varies from run to run (now(), rand(), sample): %d" % counts["varies"])
    print("  not runnable by aiq: %d" % counts["unsupported"])
    feats = collections.Counter(e.feature for e in selfc if e.status == "unsupported")
    print("\ntop features missing from aiq among the rest:")
    for f, n in feats.most_common(25):
        print("  %4d  %s" % (n, f))
    families = collections.Counter(family(f) for f in feats.elements())
    print("\nthe same, by family (examples):")
    for f, n in families.most_common(15):
        print("  %4d  %s" % (n, f))
    wrong = [e for e in selfc if e.status == "wrong"]
    if wrong:
        print("\nwrong answers:")
        for e in wrong:
            print("  %s [%s]\n      %s" % (e.where, e.key, e.detail[:400]))
    explained = [e for e in selfc if e.status == "explained"]
    if explained and args.verbose:
        print("\nexplained:")
        for e in explained:
            print("  %s (%s): %s" % (e.where, e.note["kind"], e.note["why"]))
    stale = sorted(set(known) - {e.key for e in explained})
    if stale:
        print("\nknown.json entries no longer needed (the answer is right now, or the page changed):")
        for k in stale:
            print("  %s" % k)
    if args.verbose:
        print("\nnot runnable:")
        for e in selfc:
            if e.status == "unsupported":
                print("  %s: %s" % (e.where, e.detail[:200]))
    if args.show:
        for e in examples:
            if re.search(args.show, e.key) or re.search(args.show, e.where):
                print("\n==== %s [%s] %s %s" % (e.where, e.key, e.status, e.detail))
                print(e.query)
                print("---- page: %s" % e.header)
                for r in e.rows:
                    print("     %s" % r)
                print("---- kusto columns: %s" % e.kusto_columns)
                for r in getattr(e, "result", None) or []:
                    print("     %s" % json.dumps(r, ensure_ascii=False))
    if args.json:
        with open(args.json, "w") as f:
            for e in examples:
                f.write(json.dumps({"key": e.key, "where": e.where, "status": e.status,
                                    "detail": e.detail, "feature": getattr(e, "feature", None)}) + "\n")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
