#!/usr/bin/env python3
"""oracle.py TESTDATA OUTDIR -- the expected answers of every saved query in
queries/ on the bundled data, computed directly in Python (no KQL engine, no
aiq): each function below re-implements one query by hand from SEMANTICS.md.
Writes OUTDIR/<query>.expected as NDJSON in aiq's value rendering. The test
suite compares aiq's output with these files (as multisets of rows, with a
relative tolerance of 1e-9 on reals)."""
import json, math, os, subprocess, sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 21, 12, 0, 0, tzinfo=timezone.utc)
EPOCH0 = datetime(1, 1, 1, tzinfo=timezone.utc)


def parse_dt(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def fmt_dt(t):
    s = t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        s += (".%06d" % t.microsecond).rstrip("0")
    return s + "Z"


def fmt_span(d):
    """[-][d.]hh:mm:ss[.fraction], the fraction without trailing zeros"""
    sign = "-" if d < timedelta(0) else ""
    d = abs(d)
    hours, rest = divmod(d.seconds, 3600)
    s = "%s%02d:%02d:%02d" % ("%d." % d.days if d.days else "", hours, rest // 60, rest % 60)
    if d.microseconds:
        s += (".%06d" % d.microseconds).rstrip("0")
    return sign + s


def bin_at(t, size, origin):
    """the start of t's bin of SIZE, bins laid from ORIGIN"""
    return origin + math.floor((t - origin) / size) * size


def bin_dt(t, size):
    """floor toward -inf in ticks from 0001-01-01"""
    secs = (t - EPOCH0).total_seconds()
    return EPOCH0 + timedelta(seconds=math.floor(secs / size.total_seconds()) * size.total_seconds())


def pct(values, p):
    """exact nearest rank: the value at position ceil(p/100*N), at least 1"""
    v = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(v)))
    return v[min(rank, len(v)) - 1]


def kround(x, digits):
    """half away from zero, like C's round()"""
    p = 10.0 ** digits
    y = x * p
    r = math.floor(abs(y) + 0.5)
    return math.copysign(r, y) / p


def tolong(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v)
    if isinstance(v, str):
        try:
            return int(v.strip())
        except ValueError:
            try:
                return int(float(v))
            except ValueError:
                return None
    return None


def toint(s):
    try:
        return int(s)
    except (TypeError, ValueError):
        return None


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            if isinstance(o, dict):
                rows.append(o)
    return rows


def load_zstd(path):
    raw = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout.decode()
    return [json.loads(l) for l in raw.splitlines() if l.strip()]


def load_metrics(data):
    return load_zstd(os.path.join(data, "InsightsMetrics.jsonl.zst"))


def load_diagnostics(data):
    """AzureDiagnostics/: JSON-lines files, and older exports holding one {"records": [...]}."""
    rows = []
    d = os.path.join(data, "AzureDiagnostics")
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if name.endswith(".jsonl"):
            rows += load(path)
        else:
            with open(path, encoding="utf-8") as f:
                rows += json.load(f)["records"]
    return rows


def app(data):
    rows = load_zstd(os.path.join(data, "AppRequests.jsonl.zst"))
    for r in rows:
        r["TimeGenerated"] = parse_dt(r["TimeGenerated"])
        r["DurationMs"] = float(r["DurationMs"])
    return rows


def latency_by_service(A, **_):
    g = defaultdict(list)
    for r in A:
        if r["TimeGenerated"] > NOW - timedelta(hours=24) and r["DurationMs"] > 2000:
            g[(bin_dt(r["TimeGenerated"], timedelta(minutes=15)), r["AppRoleName"])].append(r["DurationMs"])
    return [{"TimeGenerated": k[0], "AppRoleName": k[1], "Count": len(v), "AvgLatencyMs": sum(v) / len(v),
             "P95LatencyMs": pct(v, 95), "P99LatencyMs": pct(v, 99)} for k, v in g.items()]


def throttling_rate(A, **_):
    g = defaultdict(lambda: [0, 0])
    for r in A:
        if r["TimeGenerated"] > NOW - timedelta(days=7):
            s = g[(bin_dt(r["TimeGenerated"], timedelta(hours=1)), r["AppRoleName"])]
            s[0] += 1
            s[1] += r["ResultCode"] == "429"
    return [{"TimeGenerated": k[0], "AppRoleName": k[1], "TotalRequests": t, "ThrottledRequests": th,
             "ThrottleRate": kround(100.0 * th / t, 2)} for k, (t, th) in g.items() if th > 0]


def error_rate(rows):
    e = sum(1 for r in rows if (toint(r["ResultCode"]) or 0) >= 500 and toint(r["ResultCode"]) is not None)
    return kround(100.0 * e / len(rows), 2)


def error_rate_5m(A, **_):
    g = defaultdict(list)
    for r in A:
        if r["TimeGenerated"] > NOW - timedelta(hours=6):
            g[(bin_dt(r["TimeGenerated"], timedelta(minutes=5)), r["AppRoleName"])].append(r)
    return [{"TimeGenerated": k[0], "AppRoleName": k[1], "RequestsPerMin": len(v),
             "AvgLatencyMs": sum(r["DurationMs"] for r in v) / len(v), "ErrorRate": error_rate(v)} for k, v in g.items()]


def token_usage(A, **_):
    g = defaultdict(list)
    for r in A:
        if r["TimeGenerated"] > NOW - timedelta(hours=24):
            p = r.get("Properties") or {}
            tokens = tolong(p.get("tokens.total"))
            dep = p.get("deployment")
            dep = "" if dep is None else (dep if isinstance(dep, str) else json.dumps(dep))
            if tokens is not None:
                g[(dep, r["AppRoleName"])].append(tokens)
    return [{"Deployment": k[0], "AppRoleName": k[1], "TotalTokens": sum(v), "AvgTokensPerRequest": sum(v) / len(v),
             "RequestCount": len(v)} for k, v in g.items()]


def error_spike_vs_baseline(A, **_):
    base, cur = defaultdict(list), defaultdict(list)
    for r in A:
        t = r["TimeGenerated"]
        if NOW - timedelta(days=7) <= t <= NOW - timedelta(days=1):
            base[r["AppRoleName"]].append(r)
        if t > NOW - timedelta(hours=1):
            cur[r["AppRoleName"]].append(r)
    out = []
    for role, rows in cur.items():
        if role not in base:
            continue
        c, b = error_rate(rows), error_rate(base[role])
        ratio = c / b if b > 0 else 0.0
        if ratio > 2.0:
            out.append({"AppRoleName": role, "CurrentErrorRate": c, "BaselineErrorRate": b, "SpikeRatio": ratio,
                        "TotalRequests": len(rows)})
    return out


def latency_percentiles(A, **_):
    g = defaultdict(list)
    for r in A:
        if r["TimeGenerated"] > NOW - timedelta(hours=4):
            g[r["AppRoleName"]].append(r["DurationMs"])
    return [{"AppRoleName": k, "P50": pct(v, 50), "P75": pct(v, 75), "P90": pct(v, 90), "P95": pct(v, 95),
             "P99": pct(v, 99), "Max": max(v), "Count": len(v)} for k, v in g.items()]


def gpu_counters(P, **_):
    g = defaultdict(list)
    for r in P:
        if r["ObjectName"] == "GPU Adapter":
            g[(bin_dt(parse_dt(r["TimeGenerated"]), timedelta(minutes=5)), r["CounterName"])].append(r["CounterValue"])
    return [{"TimeGenerated": k[0], "CounterName": k[1], "avg_CounterValue": sum(v) / len(v)} for k, v in g.items()]


def recent(M, delta):
    return [r for r in M if parse_dt(r["TimeGenerated"]) > NOW - delta]


def tag(r, k):
    v = (r.get("Tags") or {}).get(k)
    return "" if v is None else (v if isinstance(v, str) else json.dumps(v))


def metric_time(r):
    return parse_dt(r["TimeGenerated"])


def in_window(t, window):
    """[now - window, now): the window every sustained alert judges"""
    return NOW - window <= t < NOW


def sustained(rows, time, key, window, bin_size, judge):
    """{key: {bin: [rows]}} of the entities that held JUDGE (a test of one bin's rows) in every
    bin of BIN_SIZE of the window, bins laid back from now; a bin without rows is a gap, and an
    entity with a gap is not sustained."""
    groups = defaultdict(lambda: defaultdict(list))
    for r in rows:
        t = time(r)
        if in_window(t, window):
            groups[key(r)][bin_at(t, bin_size, NOW)].append(r)
    need = math.ceil(window / bin_size)
    return {k: bins for k, bins in groups.items() if len(bins) >= need and all(judge(b) for b in bins.values())}


def sustained_gauge(M, names, key, window, threshold, cols):
    """Every sample of the window above THRESHOLD, one or more in every minute of it."""
    rows = [r for r in M if r["Name"] == names[0] and (names[1] is None or r["Namespace"] == names[1])]
    out = []
    for k, bins in sustained(rows, metric_time, key, window, timedelta(minutes=1),
                             lambda b: all(r["Val"] > threshold for r in b)).items():
        vals = [r["Val"] for b in bins.values() for r in b]
        out.append(dict(zip(cols, list(k) + [min(vals), max(vals), len(vals)])))
    return out


def alert_gpu_temperature(M, **_):
    return sustained_gauge(M, ("DCGM_FI_DEV_GPU_TEMP", "prometheus"), lambda r: (r["Computer"], tag(r, "gpu")),
                           timedelta(minutes=5), 80.0, ["Computer", "Gpu", "MinTempC", "MaxTempC", "Samples"])


def alert_gpu_utilization(M, **_):
    return sustained_gauge(M, ("DCGM_FI_DEV_GPU_UTIL", "prometheus"), lambda r: (r["Computer"], tag(r, "gpu")),
                           timedelta(minutes=30), 90.0, ["Computer", "Gpu", "MinUtilPercent", "MaxUtilPercent", "Samples"])


def alert_vllm_queue(M, **_):
    return sustained_gauge(M, ("vllm:num_requests_waiting", None),
                           lambda r: (r["Computer"], tag(r, "pod"), tag(r, "modelName")), timedelta(minutes=5), 50.0,
                           ["Computer", "Pod", "Model", "MinWaiting", "MaxWaiting", "Samples"])


def alert_latency_slo(M, **_):
    rows = [r for r in M if r["Name"] == "vllm:e2e_request_latency_seconds"]
    out = []
    for (model,), bins in sustained(rows, metric_time, lambda r: (tag(r, "modelName"),), timedelta(minutes=15),
                                    timedelta(minutes=5), lambda b: pct([r["Val"] for r in b], 95) > 10.0).items():
        p95s = [pct([r["Val"] for r in b], 95) for b in bins.values()]
        out.append({"Model": model, "MinP95Seconds": min(p95s), "MaxP95Seconds": max(p95s),
                    "Requests": sum(len(b) for b in bins.values())})
    return out


def deployment(r):
    d = (r.get("Properties") or {}).get("deployment")
    return "" if d is None else (d if isinstance(d, str) else json.dumps(d))


def alert_throttling(A, **_):
    def percent(b):
        return 100.0 * sum(r["ItemCount"] for r in b if r["ResultCode"] == "429") / sum(r["ItemCount"] for r in b)
    out = []
    for (dep,), bins in sustained(A, lambda r: r["TimeGenerated"], lambda r: (deployment(r),),
                                  timedelta(minutes=10), timedelta(minutes=1),
                                  lambda b: percent(b) > 5.0).items():
        p = [percent(b) for b in bins.values()]
        every = [r for b in bins.values() for r in b]
        out.append({"Deployment": dep, "MinThrottledPercent": min(p), "MaxThrottledPercent": max(p),
                    "Throttled": sum(r["ItemCount"] for r in every if r["ResultCode"] == "429"),
                    "Requests": sum(r["ItemCount"] for r in every)})
    return out


def alert_no_success_by_deployment(A, **_):
    today = NOW.replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    g = defaultdict(lambda: {"yesterday": 0, "recent": 0, "successes": 0, "last": None})
    for r in A:
        t, dep = r["TimeGenerated"], deployment(r)
        if not (yesterday <= t < NOW) or dep == "":
            continue
        s = g[dep]
        s["yesterday"] += t < today
        if t >= NOW - timedelta(minutes=15):
            s["recent"] += 1
            s["successes"] += r["Success"] is True
        if r["Success"] is True and (s["last"] is None or t > s["last"]):
            s["last"] = t
    return [{"Deployment": d, "RecentRequests": s["recent"], "LastSuccess": s["last"], "RequestsYesterday": s["yesterday"]}
            for d, s in g.items() if s["yesterday"] > 0 and s["successes"] == 0]


def stale(table, times, max_age):
    """One row when the newest time is older than MAX_AGE, or there is none."""
    last = max(times, default=None)
    if last is not None and last >= NOW - max_age:
        return []
    return [{"Table": table, "LastRow": last, "Age": None if last is None else NOW - last}]


def alert_gpu_memory(M, **_):
    g = defaultdict(lambda: ([], []))
    for r in recent(M, timedelta(minutes=15)):
        if r["Namespace"] == "prometheus" and r["Name"] in ("DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE"):
            k = (r["Computer"], tag(r, "gpu"), bin_dt(parse_dt(r["TimeGenerated"]), timedelta(minutes=5)))
            g[k][0 if r["Name"] == "DCGM_FI_DEV_FB_USED" else 1].append(r["Val"])
    out = []
    for k, (u, f) in g.items():
        used, free = sum(u) / len(u), sum(f) / len(f)
        frac = used / (used + free)
        if frac > 0.9:
            out.append({"Computer": k[0], "Gpu": k[1], "TimeGenerated": k[2], "UsedMB": used, "FreeMB": free,
                        "UsedFraction": frac})
    return out


def alert_xid_errors(M, **_):
    g = defaultdict(list)
    for r in recent(M, timedelta(hours=1)):
        if r["Name"] == "DCGM_FI_DEV_XID_ERRORS" and r["Val"] > 0:
            g[(r["Computer"], tag(r, "gpu"))].append(r)
    return [{"Computer": k[0], "Gpu": k[1], "Errors": len(v), "LastSeen": max(parse_dt(r["TimeGenerated"]) for r in v),
             "LastXid": v[0]["Val"]} for k, v in g.items()]


# ---- the time-series queries (issue 15): the series math is tools/series_oracle.py's,
# written from Kusto's documented formulas, not aiq's C code

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import series_oracle  # noqa: E402


def series_bins(rows, time, key, value, start, step, nbins, reduce, default):
    """make-series by hand: {key: [reduce(values of bin k) or default]} over nbins bins of
    step from start (rows with no time, or outside the bins, are left out)."""
    g = defaultdict(lambda: defaultdict(list))
    for r in rows:
        t = time(r)
        if t is None or t < start:
            continue
        k = int((t - start) // step)
        if k < nbins:
            g[key(r)][k].append(value(r))
    return {key_: [reduce(b[k]) if k in b else default for k in range(nbins)] for key_, b in g.items()}


def p95_anomalies(A):
    """latency_anomalies(_chart): per deployment, the hourly p95 of successful requests over
    the last day (empty hours interpolated), and series_decompose_anomalies of it."""
    start, step, nbins = NOW - timedelta(hours=24), timedelta(hours=1), 24
    ok = [r for r in A if r["Success"] is True]
    series = series_bins(ok, lambda r: r["TimeGenerated"], deployment, lambda r: r["DurationMs"], start, step, nbins,
                         lambda v: pct(v, 95), None)
    for dep, p95 in series.items():
        filled = series_oracle.fill_linear(p95, None, True)
        yield dep, [start + k * step for k in range(nbins)], filled, series_oracle.decompose_anomalies(filled, 3.0)


def latency_anomalies(A, **_):
    start, step = NOW - timedelta(hours=24), timedelta(hours=1)
    out = []
    for dep, _, filled, a in p95_anomalies(A):
        for k, flag in enumerate(a["flags"]):
            if flag != 0:
                out.append({"TimeGenerated": start + k * step, "Deployment": dep, "P95Ms": kround(filled[k], 1),
                            "BaselineMs": kround(a["baseline"][k], 1), "Score": kround(a["scores"][k], 2),
                            "Direction": "spike" if flag > 0 else "dip"})
    return out


def latency_anomalies_chart(A, **_):
    return [{"Deployment": dep, "TimeGenerated": [t.strftime("%Y-%m-%dT%H:%M:%S.0000000Z") for t in times],
             "P95Ms": filled, "Anomalies": [int(f) for f in a["flags"]]}
            for dep, times, filled, a in p95_anomalies(A)]


def token_spend_above_weekly(A, **_):
    def tokens(r):
        t = tolong((r.get("Properties") or {}).get("tokens.total"))
        return None if t is None else t * r["ItemCount"]
    ok = [r for r in A if r["Success"] is True]
    series = series_bins(ok, lambda r: r["TimeGenerated"], deployment, tokens, NOW - timedelta(days=28),
                         timedelta(days=1), 28, lambda v: sum(x for x in v if x is not None), 0)
    out = []
    for dep, spend in series.items():
        last = float(spend[-1])
        weekly = (spend[-8] + spend[-15] + spend[-22]) / 3.0
        above = kround(100.0 * (last / weekly - 1), 1)
        if above > 10.0:
            out.append({"Deployment": dep, "LastDay": int(last), "WeeklyAverage": kround(weekly, 1), "AbovePct": above})
    return out


def gpu_forecast(M, **_):
    start, step, points = NOW - timedelta(days=14), timedelta(hours=1), 24
    util = [r for r in M if r["Namespace"] == "prometheus" and r["Name"] == "DCGM_FI_DEV_GPU_UTIL"]
    series = series_bins(util, lambda r: parse_dt(r["TimeGenerated"]), lambda r: (r["Computer"], tag(r, "gpu")),
                         lambda r: r["Val"], start, step, 14 * 24 + points, lambda v: sum(v) / len(v), None)
    out = []
    for (computer, gpu), x in series.items():
        x = series_oracle.fill_linear(x, None, False)
        forecast = series_oracle.decompose(x, -1, "linefit", points)["baseline"]
        ahead = forecast[-points:]
        peak = max(ahead)
        out.append({"Computer": computer, "Gpu": gpu, "ForecastPeak": kround(peak, 1),
                    "PeakAt": NOW + ahead.index(peak) * step, "HoursAboveBusy": sum(v > 80.0 for v in ahead),
                    "LastHourAvg": kround(x[-points - 1], 1)})
    return out


def throttling_timechart(A, **_):
    start, step, nbins = NOW - timedelta(days=7), timedelta(hours=1), 7 * 24
    throttled = [r for r in A if r["ResultCode"] == "429"]
    series = series_bins(throttled, lambda r: r["TimeGenerated"], deployment, lambda r: r["ItemCount"], start, step,
                         nbins, sum, 0)
    axis = [(start + k * step).strftime("%Y-%m-%dT%H:%M:%S.0000000Z") for k in range(nbins)]
    return [{"Deployment": dep, "Total": float(sum(v)), "Throttled": v, "TimeGenerated": axis} for dep, v in series.items()]


def render(v):
    if isinstance(v, datetime):
        return json.dumps(fmt_dt(v))
    if isinstance(v, timedelta):
        return json.dumps(fmt_span(v))
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    return json.dumps(v, ensure_ascii=False)


def main():
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    A = app(data)
    P = load(os.path.join(data, "Perf.jsonl"))
    M = load_metrics(data)
    L = load(os.path.join(data, "InferenceLogs.jsonl"))
    D = load_diagnostics(data)
    tables = {"A": A, "P": P, "M": M}
    queries = [("latency_by_service", latency_by_service, "A"), ("throttling_rate", throttling_rate, "A"),
               ("error_rate_5m", error_rate_5m, "A"), ("token_usage", token_usage, "A"),
               ("error_spike_vs_baseline", error_spike_vs_baseline, "A"),
               ("latency_percentiles", latency_percentiles, "A"), ("gpu_counters", gpu_counters, "P"),
               ("alert_gpu_temperature", alert_gpu_temperature, "M"), ("alert_gpu_utilization", alert_gpu_utilization, "M"),
               ("alert_gpu_memory", alert_gpu_memory, "M"), ("alert_vllm_queue", alert_vllm_queue, "M"),
               ("alert_latency_slo", alert_latency_slo, "M"), ("alert_xid_errors", alert_xid_errors, "M"),
               ("alert_throttling", alert_throttling, "A"),
               ("alert_no_success_by_deployment", alert_no_success_by_deployment, "A"),
               ("latency_anomalies", latency_anomalies, "A"), ("latency_anomalies_chart", latency_anomalies_chart, "A"),
               ("token_spend_above_weekly", token_spend_above_weekly, "A"),
               ("gpu_forecast", gpu_forecast, "M"), ("throttling_timechart", throttling_timechart, "A")]
    answers = {name: fn(tables[t]) for name, fn, t in queries}
    # freshness: the newest time of each table against its limit
    for table, times, max_age in [
            ("AppRequests", [r["TimeGenerated"] for r in A], timedelta(minutes=15)),
            ("InsightsMetrics", [parse_dt(r["TimeGenerated"]) for r in M], timedelta(minutes=10)),
            ("Perf", [parse_dt(r["TimeGenerated"]) for r in P], timedelta(minutes=30)),
            ("InferenceLogs", [parse_dt(r["timestamp"]) for r in L], timedelta(minutes=15)),
            ("AzureDiagnostics", [parse_dt(r["time"]) for r in D], timedelta(hours=2))]:
        answers["alert_stale_" + table] = stale(table, times, max_age)
    for name, rows in answers.items():
        with open(os.path.join(out, name + ".expected"), "w") as f:
            for r in rows:
                f.write("{" + ",".join("%s:%s" % (json.dumps(k), render(v)) for k, v in r.items()) + "}\n")
        print("%s: %d rows" % (name, len(rows)))


if __name__ == "__main__":
    main()
