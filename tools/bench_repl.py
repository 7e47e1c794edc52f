#!/usr/bin/env python3
"""bench_repl.py AIQ FILE [DUCKDB_TIMES] -- make bench's REPL rows (issue 16): a table's
first query in the REPL against the same query on the command line (both
without a declared schema or a remembered one: a first pass for types
each), the same query again from the REPL's column cache, and what the
cache holds against the file's size. The REPL runs on a pseudo-terminal
(script(1)) with .timing on; its times are the ones .timing prints: the
first query's whole time (the CLI's is the whole process), a cached one's
time to run, without writing the result (DuckDB's is getRows(), which
prints nothing either). DUCKDB_TIMES, a file of bench_duckdb.mjs's "name
seconds" lines, adds DuckDB's table loaded in memory beside the cached
times. Prints one line per measurement."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

aiq, data = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
duck = {}
if len(sys.argv) > 3 and os.path.exists(sys.argv[3]):
    for line in open(sys.argv[3]):
        parts = line.split()
        if len(parts) == 2:
            duck[parts[0]] = float(parts[1])
QUERIES = {
    "count": "R | count",
    "filter_count": 'R | where ResultCode == "429" | count',
    "p95_by_bin": "R | summarize P95 = percentile(DurationMs, 95) by bin(TimeGenerated, 15m), AppRoleName",
    "top10_filtered": "R | where DurationMs > 1000 | project TimeGenerated, AppRoleName, DurationMs, ResultCode"
                      " | top 10 by DurationMs",
}
ALL_COLUMNS = "R | summarize max(strlen(tostring(pack_all())))"  # reads every column whole


def fresh_env():
    d = tempfile.mkdtemp(prefix="aiq-bench-")
    env = dict(os.environ, XDG_CACHE_HOME=d + "/cache", XDG_STATE_HOME=d + "/state", NO_COLOR="1", PAGER="cat")
    return d, env


def repl(queries):
    """Runs queries in one REPL session; returns each one's total seconds,
    the .tables lines and the last peak resident MiB."""
    d, env = fresh_env()
    text = ".timing on\n.format csv\n" + "".join(q + "\n\n" for q in queries) + ".tables\n.quit\n"
    out = subprocess.run(["script", "-qec", f"{aiq} -t R={data}", "/dev/null"], input=text, capture_output=True,
                         text=True, env=env, timeout=600).stdout
    shutil.rmtree(d, ignore_errors=True)
    totals = [float(x) for x in re.findall(r"; total ([0-9.]+) s", out)]
    runs = [float(x) for x in re.findall(r", run ([0-9.]+) s", out)]
    held = re.findall(r"^R .*$", out.replace("\r", ""), re.M)
    rss = re.findall(r"peak resident ([0-9.]+) MiB", out)
    return totals, runs, held[-1] if held else "?", float(rss[-1]) if rss else 0.0


def cli(query, runs=3):
    best = None
    for _ in range(runs):
        d, env = fresh_env()
        t0 = time.perf_counter()
        subprocess.run([aiq, "-o", "csv", "-t", f"R={data}", "-q", query], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        t = time.perf_counter() - t0
        shutil.rmtree(d, ignore_errors=True)
        best = t if best is None else min(best, t)
    return best


size_mb = os.path.getsize(data) / 1e6
print(f"repl: {data} ({size_mb:.0f} MB)")
print(f"{'query':<16} {'CLI':>8} {'REPL 1st':>9} {'ratio':>6} {'REPL cached':>12} {'DuckDB loaded':>14}")
for name, q in QUERIES.items():
    c = cli(q)
    firsts, cached = [], []
    for _ in range(3):  # best of three sessions, as the CLI's runs
        totals, runs, _, _ = repl([q, q])
        if len(totals) == 2 and len(runs) == 2:
            firsts.append(totals[0])
            cached.append(runs[1])
    if not firsts:
        print(f"{name:<16} REPL run failed")
        continue
    f, k = min(firsts), min(cached)
    d = duck.get("loaded_" + name)
    dd = f"{d * 1000:12.1f}ms" if d is not None else f"{'-':>14}"
    print(f"{name:<16} {c:7.3f}s {f:8.3f}s {f / c:5.2f}x {k * 1000:10.1f}ms {dd}")
if "loaded_load" in duck:
    print(f"DuckDB's load of the file into its table: {duck['loaded_load']:.3f} s")
totals, runs, held, rss = repl(list(QUERIES.values()))
def what_held(line):
    m = re.search(r"\d+ rows, .*", line)
    return m.group(0) if m else "?"


print(f"cache after the four queries: {what_held(held)}; "
      f"peak resident {rss:.0f} MiB; file {size_mb:.0f} MB")
totals, runs, held, rss = repl([ALL_COLUMNS])
print(f"cache after a query reading every column: {what_held(held)}; "
      f"peak resident {rss:.0f} MiB")
