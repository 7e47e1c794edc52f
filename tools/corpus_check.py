#!/usr/bin/env python3
"""corpus_check.py -- measures aiq against the KQL corpus in tests/corpus (issue 14).

  tools/corpus_check.py [--aiq ./aiq] [--corpus tests/corpus] [--top 30] [--per-query]
  tools/corpus_check.py --kqlcheck      re-validate the corpus with Microsoft's parser and
                                        rewrite schema.json and expected_columns.txt

For every query in CORPUS/queries/*.kql it runs `aiq check --syntax` and
`aiq check --schema CORPUS/schema.kql --explain`, and prints:
  * syntax accepted: the share of queries aiq parses, and that share among the queries
    that use only tabular operators aiq knows (how issue 14 first counted it);
  * binds: the share that aiq names and types without error against the schema;
  * columns match: of those that bind, the share whose result columns (names and types,
    in order) are the ones Kusto infers (CORPUS/expected_columns.txt, from kqlcheck);
  * function-complete: the share whose every built-in function, tabular operator and
    evaluate plugin (per CORPUS/kusto_builtins.tsv) aiq knows, asked of ./aiq itself;
  * the failure reasons, ranked by how many queries stop on each (the first error,
    normalised), and the built-ins aiq lacks, ranked by how many queries use each.
Exit status: 0 after a report, 1 when aiq crashed (exit status other than 0 or 1) on a
query or kqlcheck rejected the corpus, 2 on a usage error. Standard library only.
"""
import argparse
import collections
import concurrent.futures
import glob
import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_lib  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Result:
    """What aiq did with one query."""

    def __init__(self, name):
        self.name = name
        self.syntax_ok = self.binds = False
        self.columns = None        # aiq's "columns: ..." text (or "ok") when it binds
        self.want = None           # Kusto's, from expected_columns.txt
        self.columns_match = False
        self.reason = None         # normalised first error when it does not bind
        self.stage = None          # "syntax" or "bind": which check stopped it
        self.crash = None          # exit status when aiq neither succeeded nor reported an error
        self.used = set()          # built-ins used: {(category, name)}
        self.missing = []          # the used built-ins aiq lacks
        self.unrecognised = set()  # called names that are neither built-ins nor its own lets


def check_one(aiq, path, schema, index):
    r = Result(os.path.basename(path))
    text = open(path, encoding="utf-8").read()
    rc_s, err_s, _, _ = corpus_lib.run_check(aiq, path, None)
    rc_b, err_b, out_b, _ = corpus_lib.run_check(aiq, path, schema, explain=True)
    for rc in (rc_s, rc_b):
        if rc not in (0, 1):
            r.crash = rc
    r.syntax_ok = rc_s == 0
    r.binds = rc_b == 0
    if r.binds:
        r.columns = "ok"
        for line in out_b.splitlines():
            if line.startswith(path + ": "):
                r.columns = line[len(path) + 2:]
                break
    elif not r.syntax_ok:
        r.stage = "syntax"
        r.reason = reason_of(err_s, rc_s, True, text)
    else:
        r.stage = "bind"
        r.reason = reason_of(err_b, rc_b, False, text)
    r.used, r.unrecognised = corpus_lib.names_used(text, index)
    return r


def reason_of(err, rc, syntax_stage, text):
    if err is None:
        return "aiq exited with status %d and no error message" % rc
    return corpus_lib.normalize_reason(err[2], syntax_stage, text)


def read_expected(path):
    """expected_columns.txt: one "NNN_name.kql: columns: ..." (or ": ok") line per query.
    aiq holds a guid as its text (SEMANTICS.md), so Kusto's guid columns are string ones."""
    want = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            name, sep, rest = line.rstrip("\n").partition(": ")
            if sep:
                want[name] = re.sub(r":guid\b", ":string", rest)
    return want


def schema_names(path):
    """Table and column names of the .create table commands: called like a function they
    are the input of an operator (partition by Computer (...)), not calls."""
    names = set()
    for m in re.finditer(r"\.create(?:-merge)?\s+table\s+(\w+)\s*\(([^)]*)\)", open(path).read()):
        names.add(m.group(1))
        names.update(c.split(":")[0].strip() for c in m.group(2).split(","))
    return names


def pct(n, d):
    return "%5.1f%%" % (100.0 * n / d) if d else "   - "


def report(results, top, aiq, corpus):
    n = len(results)
    corpus = os.path.relpath(corpus)
    syntax = sum(r.syntax_ok for r in results)
    in_subset = [r for r in results if not any(c != "fn" for c, _ in r.missing)]
    syntax_subset = sum(r.syntax_ok for r in in_subset)
    binds = [r for r in results if r.binds]
    compared = [r for r in binds if r.want is not None]
    match = sum(r.columns_match for r in compared)
    complete = sum(not r.missing for r in results)
    print("corpus: %d queries in %s; aiq: %s" % (n, os.path.join(corpus, "queries"), aiq))
    print("  syntax accepted    %4d/%d  %s   aiq check --syntax" % (syntax, n, pct(syntax, n)))
    print("    in aiq's operator subset  %d/%d  %s   (queries whose tabular operators and plugins aiq all knows)"
          % (syntax_subset, len(in_subset), pct(syntax_subset, len(in_subset))))
    print("  binds              %4d/%d  %s   aiq check --schema %s" % (len(binds), n, pct(len(binds), n),
                                                                      os.path.join(corpus, "schema.kql")))
    print("  columns match      %4d/%d  %s   of those that bind: result columns as Kusto infers them"
          % (match, len(compared), pct(match, len(compared))))
    print("  function-complete  %4d/%d  %s   every built-in function, operator and plugin used is known to aiq"
          % (complete, n, pct(complete, n)))

    reasons = collections.Counter((r.stage, r.reason) for r in results if r.reason)
    example = {}
    for r in results:
        if r.reason:
            example.setdefault((r.stage, r.reason), r.name)
    print()
    print("Failure reasons (first error of each query that does not bind), by number of queries:")
    print("  %5s  %-6s  %s" % ("count", "stage", "reason  [first example]"))
    for (stage, reason), count in limit(reasons.most_common(), top):
        print("  %5d  %-6s  %s  [%s]" % (count, stage, reason, example[(stage, reason)]))
    more(reasons, top, "reasons")

    lacking = collections.Counter(m for r in results for m in r.missing)
    print()
    print("Built-ins the corpus uses that aiq lacks, by number of queries using each:")
    for (cat, name), count in limit(sorted(lacking.items(), key=lambda x: (-x[1], x[0])), top):
        print("  %5d  %-8s %s" % (count, {"fn": "function", "op": "operator"}.get(cat, cat), name))
    more(lacking, top, "built-ins")

    mismatched = [r for r in compared if not r.columns_match]
    if mismatched:
        print()
        print("Result columns that differ from Kusto's (%d):" % len(mismatched))
        for r in limit(mismatched, top):
            print("  %s\n    kusto: %s\n    aiq:   %s" % (r.name, r.want, r.columns))
        more(mismatched, top, "queries")

    unrecognised = collections.Counter(u for r in results for u in r.unrecognised)
    if unrecognised:
        print()
        print("Called like built-ins but not in kusto_builtins.tsv (check the list): " +
              ", ".join("%s (%d)" % x for x in unrecognised.most_common()))


def limit(items, top):
    items = list(items)
    return items if top <= 0 else items[:top]


def more(items, top, what):
    if top > 0 and len(items) > top:
        print("  ... and %d more %s (--top 0 lists all)" % (len(items) - top, what))


def per_query(results):
    print("\t".join(["query", "syntax", "binds", "columns", "function_complete", "aiq_lacks", "stage", "reason"]))
    for r in results:
        print("\t".join([
            r.name, "ok" if r.syntax_ok else "fail", "ok" if r.binds else "fail",
            ("match" if r.columns_match else "differ") if r.binds and r.want is not None else "-",
            "no" if r.missing else "yes",
            ",".join(sorted("%s %s" % m for m in r.missing)) or "-",
            r.stage or "-", r.reason or "-"]))


def measure(args):
    corpus = args.corpus
    queries = sorted(glob.glob(os.path.join(corpus, "queries", "*.kql")))
    if not queries:
        usage_error("no queries in %s" % os.path.join(corpus, "queries"))
    if not os.access(args.aiq, os.X_OK):
        usage_error("%s is not an executable aiq (build it with make -j2)" % args.aiq)
    schema = os.path.join(corpus, "schema.kql")
    want = read_expected(os.path.join(corpus, "expected_columns.txt"))
    _, index = corpus_lib.load_builtins(os.path.join(corpus, "kusto_builtins.tsv"))
    ignore = schema_names(schema)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda q: check_one(args.aiq, q, schema, index), queries))
    with corpus_lib.AiqProbe(args.aiq) as probe:
        for r in results:
            r.missing = sorted(m for m in r.used if not probe.knows(*m))
            r.unrecognised -= ignore
            r.want = want.get(r.name)
            r.columns_match = r.binds and r.want is not None and r.columns == r.want
    if args.per_query:
        per_query(results)
    else:
        report(results, args.top, args.aiq, corpus)
    crashed = [r for r in results if r.crash is not None]
    for r in crashed:
        print("corpus_check: aiq exited with status %d on %s" % (r.crash, r.name), file=sys.stderr)
    missing_want = [r.name for r in results if r.want is None]
    if missing_want:
        print("corpus_check: not in expected_columns.txt (run --kqlcheck): " + ", ".join(missing_want),
              file=sys.stderr)
    return 1 if crashed else 0


def refresh_with_kqlcheck(args):
    """Validates every corpus query with kqlcheck against the schema and, when all pass,
    rewrites schema.json and expected_columns.txt. Nothing is written on a failure."""
    corpus = os.path.abspath(args.corpus)
    kqlcheck = os.path.abspath(args.kqlcheck_bin)
    schema_json = subprocess.run([sys.executable, os.path.join(REPO, "tools", "schema_json.py"),
                                  os.path.join(corpus, "schema.kql")], capture_output=True, text=True, check=True).stdout
    json_path = os.path.join(corpus, "schema.json")
    write_atomic(json_path, schema_json)
    qdir = os.path.join(corpus, "queries")
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(qdir, "*.kql")))
    proc = subprocess.run([kqlcheck, "--schema", json_path, "--columns"] + names, cwd=qdir,
                          capture_output=True, text=True)
    lines = (proc.stdout + proc.stderr).splitlines()
    errors = [l for l in lines if re.match(r"^[^:]+\.kql:\d+:\d+: error:", l)]
    if errors or proc.returncode != 0:
        print("\n".join(errors or lines), file=sys.stderr)
        print("corpus_check: kqlcheck rejected %d queries; expected_columns.txt left as it was"
              % len({e.split(":")[0] for e in errors}), file=sys.stderr)
        return 1
    by_name = {l.split(": ", 1)[0]: l for l in lines if ": " in l}
    absent = [n for n in names if n not in by_name]
    if absent:
        print("corpus_check: kqlcheck printed nothing for " + ", ".join(absent), file=sys.stderr)
        return 1
    write_atomic(os.path.join(corpus, "expected_columns.txt"), "".join(by_name[n] + "\n" for n in names))
    print("corpus_check: %d queries valid for Kusto; wrote schema.json and expected_columns.txt" % len(names))
    return 0


def usage_error(msg):
    print("corpus_check: " + msg, file=sys.stderr)
    sys.exit(2)


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the report quietly
    ap = argparse.ArgumentParser(description="Measures aiq against the KQL corpus (issue 14).")
    ap.add_argument("--aiq", default="./aiq", help="the aiq binary (default ./aiq)")
    ap.add_argument("--corpus", default=os.path.join(REPO, "tests", "corpus"), help="the corpus directory")
    ap.add_argument("--top", type=int, default=30, help="lines per ranked list; 0 for all (default 30)")
    ap.add_argument("--per-query", action="store_true", help="one tab-separated line per query instead")
    ap.add_argument("--kqlcheck", action="store_true",
                    help="validate the corpus with kqlcheck and rewrite schema.json and expected_columns.txt")
    ap.add_argument("--kqlcheck-bin", default=os.environ.get("KQLCHECK", os.path.join(
        REPO, "..", "shared", "tools", "kqlcheck", "kqlcheck")), help="kqlcheck (default $KQLCHECK or ../shared/...)")
    args = ap.parse_args()
    sys.exit(refresh_with_kqlcheck(args) if args.kqlcheck else measure(args))


if __name__ == "__main__":
    main()
