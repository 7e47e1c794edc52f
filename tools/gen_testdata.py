#!/usr/bin/env python3
"""gen_testdata.py OUTDIR [FIXTURES] -- writes the bundled sample logs and the
alert fixtures (deterministic: the same bytes on every run).

OUTDIR gets five tables shaped like the logs in ../shared/LOGS.md, ending at NOW
(2026-11-21T12:00:00Z, a Saturday), with incidents planted so every saved query
in queries/ returns rows worth reading:
  - a 429 storm on the gpt-4o deployment (aoai-gateway) 2026-11-20 14:00-15:00;
  - chat-api's p99 latency grows after model_version 2024-11-20 ships at 06:00 today;
  - a 5xx burst on embeddings-api in the last hour, a full outage in its last 15
    minutes (no successful request: alert_no_success_by_deployment);
  - a slow tail from westeurope;
  - GPU incidents in the last 15 minutes (temperature, framebuffer, vLLM queue,
    p95 latency over the SLO, an XID 79 error), and a GPU saturated for 45;
  - the Perf counters stop at 11:10 (the agent died: alert_stale_Perf).
Each sustained alert ("X for N minutes") has one entity that holds the condition
for the whole window (the alert fires) and one with a single spike inside the
window (it must not fire): see the constants below.
For the time-series work (make-series, series_decompose_*): a one-hour latency
spike on aoai-gateway at 02:00 today, 429s per deployment over a week, 28 days
of requests whose token spend follows the week (weekends lighter) with a surge on
gpt-35-turbo over the last 24 hours, and 14 days of GPU utilisation (a daily
cycle on a rising trend) before the last 6 hours.

AppRequests is sampled the way Application Insights samples: a record stands for
ItemCount requests (1 in the last day, kept at one record per 5 minutes per
service; 4 before it, at one per 20 minutes), so sums of requests or tokens over
days weigh each record by ItemCount. AppRequests and InsightsMetrics are
zstd-compressed; InferenceLogs has a few broken lines (a stray print, a truncated
last line); AzureDiagnostics is a directory holding a JSON-lines file and an older
{"records": [...]} export. InsightsMetrics is scraped every minute (each target
at its own offset in the minute) for the last 6 hours; before that it keeps only
GPU utilisation, every 10 minutes.

FIXTURES (default: the repository's tests/data/alerts) gets small tables for
tests/cli/alerts.sh, all ending at the same NOW: quiet/ (every sustained alert's
near misses: a gap in the samples, a condition that started inside the window,
a value exactly at the threshold, a single spike; every table fresh), stale/
(every table silent for longer than its freshness alert allows) and empty/
(every table an empty file).
"""
import json, math, os, random, subprocess, sys
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 21, 12, 0, 0, tzinfo=timezone.utc)
R = random.Random(20261121)
MINUTE = timedelta(minutes=1)

# Planted in InsightsMetrics, (Computer, gpu) or pod: the entity that holds each
# sustained condition over its whole window, and the one with a single spike.
HOT_GPU = ("gpu-node-02", "1")  # 84-89 degC for the last 15 minutes (fires: > 80 for 5 minutes)
TEMP_SPIKE = ("gpu-node-01", "1", NOW - 3 * MINUTE)  # one 91 degC sample (does not fire)
BUSY_GPU = ("gpu-node-01", "0")  # 92-99 % for the last 45 minutes (fires: > 90 % for 30 minutes)
UTIL_SPIKE = ("gpu-node-02", "0", NOW - 10 * MINUTE)  # one 99 % sample (does not fire)
FULL_FB_GPU = ("gpu-node-01", "0")  # framebuffer over 90 % in the last 15 minutes
XID_GPU = ("gpu-node-02", "1", NOW - 20 * MINUTE)  # one XID 79
QUEUED_POD = "vllm-llama-1"  # 60-90 waiting for the last 15 minutes (fires: > 50 for 5 minutes)
QUEUE_SPIKE = ("vllm-llama-0", NOW - 2 * MINUTE)  # one sample of 75 (does not fire)
SLOW_MODEL = "llama-3-70b"  # p95 over 10 s for the last 30 minutes (fires: every 5-minute bin of 15)
LATENCY_BURST = ("qwen2.5-72b", NOW - 10 * MINUTE, NOW - 5 * MINUTE)  # one slow 5-minute bin (does not fire)
# Planted in AppRequests (deployments): the last 20 minutes carry six requests a minute for
# these two, so that 1-minute 429 rates mean something.
THROTTLED_DEPLOYMENT = "gpt-4o-mini"  # 2 of 6 requests a minute are 429s (fires: > 5 % for 10 minutes)
THROTTLE_SPIKE = ("gpt-35-turbo", NOW - 4 * MINUTE)  # 4 of 6 429s in one minute (does not fire)
DOWN_SERVICE = "embeddings-api"  # every request fails in the last 15 minutes (no success)
TOKEN_SURGE = ("completions-api", NOW - timedelta(days=1), 1.6)  # token spend x1.6 over the last day
LATENCY_SPIKE = ("aoai-gateway", datetime(2026, 11, 21, 2, 0, tzinfo=timezone.utc),
                 datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc), 6.0)  # durations x6 for an hour
PERF_STOPS = NOW - timedelta(minutes=50)  # no Perf row after 11:10


def iso(t, frac=True):
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if frac and t.microsecond:
        s += ".%06d" % t.microsecond
    return s + "Z"


def dumps(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False)


SERVICES = {
    "chat-api": ("POST /openai/deployments/gpt-4o/chat/completions", "gpt-4o", "gpt-4o", 900),
    "embeddings-api": ("POST /openai/deployments/text-embedding-3-large/embeddings", "text-embedding-3-large", "text-embedding-3-large", 120),
    "aoai-gateway": ("POST /openai/deployments/gpt-4o-mini/chat/completions", "gpt-4o-mini", "gpt-4o-mini", 600),
    "completions-api": ("POST /openai/deployments/gpt-35-turbo/completions", "gpt-35-turbo", "gpt-35-turbo", 700),
}
REGIONS = ["eastus", "eastus2", "westeurope", "swedencentral"]


def app_requests():
    rows = app_history()
    t = NOW - timedelta(days=8)
    while t < NOW:
        age = NOW - t
        step = timedelta(minutes=20) if age > timedelta(days=1) else timedelta(minutes=5)
        for svc, (name, deployment, model, base) in SERVICES.items():
            ts = t + timedelta(seconds=R.randint(0, int(step.total_seconds()) - 1), microseconds=R.randint(0, 999) * 1000)
            r = make_request(ts, svc, name, deployment, model, base, item_count=step // timedelta(minutes=5))
            if svc == DOWN_SERVICE and ts >= NOW - timedelta(minutes=15):
                r["ResultCode"], r["Success"] = "503", False
            rows.append(r)
        t += step
    # 429 storm: gpt-4o through the gateway, one hour yesterday
    t = datetime(2026, 11, 20, 14, 0, tzinfo=timezone.utc)
    for k in range(240):
        ts = t + timedelta(seconds=15 * k)
        r = make_request(ts, "aoai-gateway", SERVICES["chat-api"][0], "gpt-4o", "gpt-4o", 600)
        r["ResultCode"], r["Success"], r["DurationMs"] = "429", False, R.randint(5, 40)
        rows.append(r)
    # 5xx burst on embeddings-api in the last hour
    for k in range(120):
        ts = NOW - timedelta(minutes=50) + timedelta(seconds=20 * k)
        r = make_request(ts, "embeddings-api", *SERVICES["embeddings-api"])
        r["ResultCode"] = R.choice(["500", "503", "503"])
        r["Success"] = False
        rows.append(r)
    rows += recent_traffic()
    rows.sort(key=lambda r: r["TimeGenerated"])
    return rows


def app_history():
    """Days 28 to 8 before NOW, one record per 20 minutes per service (ItemCount 4), from a
    generator of their own so that the rows after them stay as they were."""
    rng = random.Random(202611210)
    rows = []
    t = NOW - timedelta(days=28)
    while t < NOW - timedelta(days=8):
        for svc, (name, deployment, model, base) in SERVICES.items():
            ts = t + timedelta(seconds=rng.randint(0, 1199), microseconds=rng.randint(0, 999) * 1000)
            rows.append(make_request(ts, svc, name, deployment, model, base, rng=rng, item_count=4))
        t += timedelta(minutes=20)
    return rows


def recent_traffic():
    """The last 20 minutes of the gateway and completions deployments at six requests a
    minute: the throttled deployment gets 2 429s every minute, the other one 4 in one minute."""
    rng = random.Random(202611211)
    rows = []
    minute = NOW - timedelta(minutes=20)
    while minute < NOW:
        for svc in ("aoai-gateway", "completions-api"):
            name, deployment, model, base = SERVICES[svc]
            if deployment == THROTTLED_DEPLOYMENT:
                throttled = set(rng.sample(range(6), 2))
            elif (deployment, minute) == THROTTLE_SPIKE:
                throttled = set(rng.sample(range(6), 4))
            else:
                throttled = set()
            for k in range(6):
                ts = minute + timedelta(seconds=10 * k + rng.randint(0, 9), microseconds=rng.randint(0, 999) * 1000)
                r = make_request(ts, svc, name, deployment, model, base, rng=rng)
                if k in throttled:
                    r["ResultCode"], r["Success"], r["DurationMs"] = "429", False, rng.randint(5, 40)
                elif r["ResultCode"] == "429":
                    r["ResultCode"], r["Success"] = "200", True  # no stray 429 outside the plan
                rows.append(r)
        minute += MINUTE
    return rows


def token_factor(ts, svc):
    """Token spend follows the week (Saturday 0.6, Sunday 0.5 of a weekday), plus the surge."""
    f = (1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.5)[ts.weekday()]
    if svc == TOKEN_SURGE[0] and ts >= TOKEN_SURGE[1]:
        f *= TOKEN_SURGE[2]
    return f


def make_request(ts, svc, name, deployment, model, base, rng=R, item_count=1):
    region = rng.choice(REGIONS)
    version = "2024-08-06"
    if svc == "chat-api" and ts >= NOW - timedelta(hours=6):
        version = "2024-11-20"
    dur = rng.lognormvariate(0, 0.5) * base
    if region == "westeurope":
        dur *= 1.8  # the slow region
    if svc == "chat-api" and version == "2024-11-20" and rng.random() < 0.15:
        dur *= 6  # the new model version's tail
    if svc == LATENCY_SPIKE[0] and LATENCY_SPIKE[1] <= ts < LATENCY_SPIKE[2]:
        dur *= LATENCY_SPIKE[3]
    dur = round(dur) if rng.random() < 0.5 else round(dur, 3)  # ints and reals mixed
    code = "200"
    x = rng.random()
    if x < 0.01:
        code = "500"
    elif x < 0.02:
        code = "429"
    f = token_factor(ts, svc)
    prompt = round(rng.randint(50, 3000) * f)
    completion = round(rng.randint(0, 800) * f) if svc != "embeddings-api" else 0
    total = prompt + completion
    props = {"deployment": deployment, "model": model, "model_version": version, "region": region,
             "stream": rng.random() < 0.4}
    y = rng.random()
    if y < 0.1:
        props["tokens.total"] = str(total)  # numbers as strings
    elif y < 0.13:
        props["tokens.total"] = "n/a"
    elif y < 0.16:
        pass  # missing
    else:
        props["tokens.total"] = total
    props["tokens.prompt"] = prompt
    if svc != "embeddings-api":
        props["tokens.completion"] = completion
    op = "%016x" % rng.getrandbits(64)
    return {
        "TimeGenerated": iso(ts), "Id": "%016x" % rng.getrandbits(64), "Name": name,
        "Url": "https://%s.internal%s" % (svc, name.split(" ", 1)[1]),
        "DurationMs": dur, "ResultCode": code, "Success": code == "200", "AppRoleName": svc,
        "AppRoleInstance": "%s-%d" % (svc, rng.randint(0, 3)), "OperationId": op,
        "OperationName": name, "ClientIP": "10.0.%d.0" % rng.randint(0, 9), "ItemCount": item_count,
        "Properties": props, "Measurements": {"tokensPerSecond": round(rng.uniform(20, 120), 2)},
    }


def azure_diagnostics():
    line_rows, record_rows = [], []
    t = NOW - timedelta(days=2)
    ops = [("ChatCompletions_Create", "gpt-4o", "gpt-4o"), ("Embeddings_Create", "text-embedding-3-large", "text-embedding-3-large"),
           ("Completions_Create", "gpt-35-turbo", "gpt-35-turbo")]
    while t < NOW:
        for op, dep, model in ops:
            storm = op == "ChatCompletions_Create" and datetime(2026, 11, 20, 14, tzinfo=timezone.utc) <= t < datetime(2026, 11, 20, 15, tzinfo=timezone.utc)
            sig = "429" if storm and R.random() < 0.8 else ("500" if R.random() < 0.01 else "200")
            props = {"apiName": "Azure OpenAI API version 2024-10-21", "modelDeploymentName": dep, "modelName": model,
                     "modelVersion": "2024-08-06", "requestLength": R.randint(200, 9000), "responseLength": R.randint(100, 5000),
                     "streamType": R.choice(["Streaming", "Non-Streaming"]), "objectId": ""}
            rec = {"time": iso(t + timedelta(seconds=R.randint(0, 299))),
                   "resourceId": "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/AI/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/CONTOSO-AOAI",
                   "category": R.choice(["RequestResponse", "RequestResponse", "RequestResponse", "Audit", "Trace"]),
                   "operationName": op, "resultSignature": sig, "durationMs": R.randint(20, 4000) if sig == "200" else R.randint(5, 60),
                   "callerIpAddress": "10.0.0.***", "correlationId": "%032x" % R.getrandbits(128), "location": "eastus",
                   # properties is an object in some exports and a JSON string in others
                   "properties": props if R.random() < 0.5 else dumps(props)}
            (record_rows if t < NOW - timedelta(days=1) else line_rows).append(rec)
        t += timedelta(minutes=5)
    return line_rows, record_rows


def inference_logs():
    lines = []
    t = NOW - timedelta(days=1)
    k = 0
    while t < NOW:
        k += 1
        svc = R.choice(["vllm-router", "inference-worker"])
        dep = R.choice(["gpt-4o", "llama-3-70b"])
        version = "2024-11-20" if t >= NOW - timedelta(hours=6) else "2024-08-06"
        level = "INFO"
        x = R.random()
        late = t >= NOW - timedelta(minutes=30)
        if x < (0.25 if late else 0.03):
            level = "ERROR"
        elif x < 0.1:
            level = "WARNING"
        ts = t if R.random() < 0.7 else t.astimezone(timezone(timedelta(hours=2)))
        stamp = ts.strftime("%Y-%m-%dT%H:%M:%S") + (".%03d" % (ts.microsecond // 1000)) + (ts.strftime("%z")[:3] + ":" + ts.strftime("%z")[3:] if ts.utcoffset() else "Z")
        rec = {"timestamp": stamp, "level": level, "service": svc, "model_version": version, "deployment": dep,
               "request_id": None if R.random() < 0.05 else "req-%06d" % k,
               "tokens_used": None if R.random() < 0.08 else R.randint(10, 4000),
               "latency_ms": None if R.random() < 0.05 else round(R.lognormvariate(5.5, 0.6), 1)}
        if level == "ERROR":
            rec["message"] = R.choice(["CUDA out of memory while allocating KV cache", "upstream timeout after 30s",
                                       "request cancelled by client"])
            rec["exception"] = "torch.cuda.OutOfMemoryError: CUDA out of memory." if "CUDA" in rec["message"] else "TimeoutError"
        elif level == "WARNING":
            rec["message"] = "queue depth high: %d waiting" % R.randint(20, 80)
        else:
            rec["message"] = "completed request"
        lines.append(dumps(rec))
        if k == 500:
            lines.append("Loading model weights from /models/llama-3-70b ... done")  # a stray print
        if k == 900:
            lines.append('{"timestamp": "2026-11-21T03:00:00Z", "level": "INFO", "message": unquoted}')
        t += timedelta(seconds=R.randint(30, 90))
    lines.append(lines[-1][: len(lines[-1]) // 2])  # truncated by a crash
    return lines


def perf():
    rows = []
    t = NOW - timedelta(days=1)
    while t <= PERF_STOPS:
        for node in ["gpu-node-01", "gpu-node-02"]:
            for gpu in ["GPU0", "GPU1"]:
                hot = node == "gpu-node-02" and gpu == "GPU1" and t >= NOW - timedelta(hours=1)
                util = min(100.0, R.uniform(40, 95) + (5 if hot else 0))
                rows.append(counter(t, node, "GPU Adapter", "GPU Utilization", gpu, round(util, 1)))
                rows.append(counter(t, node, "GPU Adapter", "GPU Memory Used MB", gpu, float(R.randint(30000, 78000))))
                rows.append(counter(t, node, "GPU Adapter", "GPU Temperature", gpu, float(R.randint(55, 75) + (12 if hot else 0))))
            rows.append(counter(t, node, "Processor", "% Processor Time", "_Total", round(R.uniform(5, 60), 2)))
            rows.append(counter(t, node, "Memory", "Available MBytes", "", float(R.randint(8000, 64000))))
        t += timedelta(minutes=10)
    return rows


def counter(t, node, obj, name, inst, val):
    return {"TimeGenerated": iso(t), "Computer": node, "ObjectName": obj, "CounterName": name, "InstanceName": inst,
            "CounterValue": val}


GPUS = [("gpu-node-01", "0"), ("gpu-node-01", "1"), ("gpu-node-02", "0"), ("gpu-node-02", "1")]
# Prometheus scrapes each target at its own fixed offset within the minute.
SCRAPE_OFFSET = {"gpu-node-01": timedelta(seconds=12), "gpu-node-02": timedelta(seconds=41)}
# vLLM servers: (pod, model, node, scrape offset)
PODS = [("vllm-llama-0", "llama-3-70b", "gpu-node-01", timedelta(seconds=5)),
        ("vllm-llama-1", "llama-3-70b", "gpu-node-02", timedelta(seconds=33)),
        ("vllm-qwen-0", "qwen2.5-72b", "gpu-node-01", timedelta(seconds=50))]
METRICS_DETAIL = timedelta(hours=6)  # every metric, every minute
GPU_HISTORY = timedelta(days=14)  # before that, GPU utilisation every 10 minutes


def insights_metrics():
    rng = random.Random(202611212)
    rows = []
    t = NOW - GPU_HISTORY
    while t < NOW - METRICS_DETAIL:
        for node, g in GPUS:
            rows.append(metric(t + SCRAPE_OFFSET[node], node, "DCGM_FI_DEV_GPU_UTIL", gpu_util(t, g, rng), dcgm_tags(node, g)))
        t += timedelta(minutes=10)
    while t < NOW:
        for node, g in GPUS:
            rows += dcgm_scrape(t, node, g, rng)
        for pod, model, node, offset in PODS:
            rows += vllm_scrape(t, pod, model, node, offset, rng)
        t += MINUTE
    rows.sort(key=lambda r: r["TimeGenerated"])
    return rows


def dcgm_tags(node, g):
    return {"gpu": g, "UUID": "GPU-%s-%s" % (node[-2:], g), "modelName": "NVIDIA H100 80GB HBM3", "pod": "dcgm-exporter-%s" % node[-2:]}


def gpu_util(t, g, rng):
    """Busy in the working day (peak 15:00 UTC), lighter at weekends, rising 0.5 points a day."""
    hour = t.hour + t.minute / 60.0
    load = 55 + 20 * math.sin(2 * math.pi * (hour - 9) / 24)
    if t.weekday() >= 5:
        load *= 0.75
    load += 0.5 * (t - (NOW - GPU_HISTORY)) / timedelta(days=1)
    load += {"0": -3, "1": 3}[g] + rng.gauss(0, 3)
    return float(min(100, max(0, round(load))))


def dcgm_scrape(t, node, g, rng):
    """One scrape of one GPU's DCGM exporter at minute t, with the planted incidents."""
    recent = t >= NOW - timedelta(minutes=15)
    util = gpu_util(t, g, rng)
    if (node, g) == BUSY_GPU and t >= NOW - timedelta(minutes=45):
        util = float(rng.randint(92, 99))
    if (node, g, t) == UTIL_SPIKE:
        util = 99.0
    temp = float(rng.randint(58, 76))
    if (node, g) == HOT_GPU and recent:
        temp = float(rng.randint(84, 89))
    if (node, g, t) == TEMP_SPIKE:
        temp = 91.0
    used = rng.randint(40000, 60000)
    if (node, g) == FULL_FB_GPU and recent:
        used = rng.randint(76000, 79000)
    xid = 79.0 if (node, g, t) == XID_GPU else 0.0
    ts, tags = t + SCRAPE_OFFSET[node], dcgm_tags(node, g)
    return [metric(ts, node, "DCGM_FI_DEV_GPU_UTIL", util, tags), metric(ts, node, "DCGM_FI_DEV_GPU_TEMP", temp, tags),
            metric(ts, node, "DCGM_FI_DEV_FB_USED", float(used), tags),
            metric(ts, node, "DCGM_FI_DEV_FB_FREE", float(81559 - used), tags),
            metric(ts, node, "DCGM_FI_DEV_XID_ERRORS", xid, tags)]


def vllm_scrape(t, pod, model, node, offset, rng):
    """One scrape of one vLLM server at minute t: gauges, and three finished requests' latencies."""
    tags = {"pod": pod, "modelName": model}
    waiting = rng.randint(0, 20)
    if pod == QUEUED_POD and t >= NOW - timedelta(minutes=15):
        waiting = rng.randint(60, 90)
    if (pod, t) == QUEUE_SPIKE:
        waiting = 75
    ts = t + offset
    rows = [metric(ts, node, "vllm:num_requests_running", float(rng.randint(4, 32)), tags),
            metric(ts, node, "vllm:num_requests_waiting", float(waiting), tags),
            metric(ts, node, "vllm:gpu_cache_usage_perc", round(rng.uniform(0.3, 0.95), 3), tags),
            metric(ts, node, "vllm:time_to_first_token_seconds", round(rng.lognormvariate(-1.5, 0.5), 3), tags)]
    slow = model == SLOW_MODEL and t >= NOW - timedelta(minutes=30)
    burst = model == LATENCY_BURST[0] and LATENCY_BURST[1] <= t < LATENCY_BURST[2]
    for _ in range(3):
        lat = rng.lognormvariate(1.2, 0.4) * (4 if (slow and rng.random() < 0.6) or burst else 1)
        rows.append(metric(ts, node, "vllm:e2e_request_latency_seconds", round(lat, 3), tags))
    return rows


def metric(t, node, name, val, tags):
    return {"TimeGenerated": iso(t), "Computer": node, "Namespace": "prometheus", "Name": name, "Val": val, "Tags": tags}


# ---- alert fixtures: tests/data/alerts/{quiet,stale,empty} ----------------------------------
# Small and hand-shaped: each entity is one case of tests/cli/alerts.sh, named after it.

FIXTURE_GPUS = {("gpu-node-11", "0"): "gap", ("gpu-node-11", "1"): "late",
                ("gpu-node-12", "0"): "edge", ("gpu-node-12", "1"): "spike"}
FIXTURE_OFFSET = {"gpu-node-11": timedelta(seconds=12), "gpu-node-12": timedelta(seconds=41)}
FIXTURE_PODS = {"vllm-gap-0": "gpu-node-11", "vllm-late-0": "gpu-node-11",
                "vllm-edge-0": "gpu-node-12", "vllm-spike-0": "gpu-node-12"}


def ago(minutes, seconds=0):
    return NOW - timedelta(minutes=minutes, seconds=seconds)


def quiet_gauge(case, m, hot, cold, threshold, window, lone_minute):
    """The value a near-miss entity reports at minute NOW-m: hot over the window, except
    where its case says why the alert must not fire."""
    if case == "late":
        return hot if m < window else cold  # hot only from one interval after the window start
    if case == "edge":
        return threshold if m == lone_minute else hot  # one sample exactly at the threshold
    if case == "spike":
        return hot if m == lone_minute else cold  # one sample above it
    return hot  # "gap": hot all along, but scrapes are missing (see quiet_metrics)


def quiet_metrics():
    """40 minutes of 1-minute scrapes in which no sustained alert may fire."""
    rows = []
    for m in range(40, 0, -1):
        t = ago(m)
        for (node, g), case in FIXTURE_GPUS.items():
            if case == "gap" and m in (3, 17):
                continue  # missed scrapes, one in the 5-minute and one in the 30-minute window
            tags = {"gpu": g, "modelName": "NVIDIA H100 80GB HBM3"}
            ts = t + FIXTURE_OFFSET[node]
            rows.append(metric(ts, node, "DCGM_FI_DEV_GPU_TEMP", quiet_gauge(case, m, 85.0, 75.0, 80.0, 5, 2 if case == "edge" else 1), tags))
            rows.append(metric(ts, node, "DCGM_FI_DEV_GPU_UTIL", quiet_gauge(case, m, 95.0, 85.0, 90.0, 30, 12 if case == "edge" else 5), tags))
        for k, (pod, node) in enumerate(FIXTURE_PODS.items()):
            case = pod.split("-")[1]
            if case == "gap" and m == 3:
                continue
            tags = {"pod": pod, "modelName": "model-" + case}
            ts = t + timedelta(seconds=5 + 10 * k)
            rows.append(metric(ts, node, "vllm:num_requests_waiting", quiet_gauge(case, m, 70.0, 30.0, 50.0, 5, 2 if case == "edge" else 1), tags))
            for lat in quiet_latencies(case, m):
                rows.append(metric(ts, node, "vllm:e2e_request_latency_seconds", lat, tags))
    rows.sort(key=lambda r: r["TimeGenerated"])
    return rows


def quiet_latencies(case, m):
    """Three finished requests' latencies per scrape; the 15-minute SLO window has three 5-minute bins."""
    if case == "gap":
        return [] if 5 < m <= 10 else [20.0, 21.0, 22.0]  # no request finished in the middle bin
    if case == "late":
        return [20.0, 21.0, 22.0] if m <= 10 else [2.0, 2.5, 3.0]  # slow in two bins of three
    if case == "edge":
        return [9.0, 9.5, 10.0] if 5 < m <= 10 else [20.0, 21.0, 22.0]  # one bin's p95 exactly 10 s
    return [2.0, 2.5, 60.0] if m == 1 else [2.0, 2.5, 3.0]  # "spike": one slow request


def slim_request(ts, deployment, code):
    return {"TimeGenerated": iso(ts), "DurationMs": 5 if code == "429" else 850, "ResultCode": code,
            "Success": code == "200", "AppRoleName": "aoai-gateway", "ItemCount": 1,
            "Properties": {"deployment": deployment}}


def yesterday_traffic(deployments):
    return [slim_request(datetime(2026, 11, 20, h, 0, tzinfo=timezone.utc), d, "200")
            for d in deployments for h in (10, 14, 18)]


def quiet_requests():
    """The 429 alert's near misses over the last 10 minutes, and deployments that keep a success."""
    rows = yesterday_traffic(["dep-gap", "dep-edge", "dep-spike", "dep-late", "dep-one-success", "dep-edge-success"])
    for m in range(10, 0, -1):
        t = ago(m)
        minute = {"dep-gap": [] if m == 6 else ["429", "200", "200", "200"],  # a minute without requests
                  "dep-edge": ["429"] + ["200"] * 19 if m == 7 else ["429", "200", "200", "200"],  # exactly 5 %
                  "dep-spike": ["429"] * 4 if m == 2 else ["200"] * 4,
                  "dep-late": ["200"] * 4 if m == 10 else ["429", "200", "200", "200"]}  # from the second minute
        for dep, codes in minute.items():
            for k, code in enumerate(codes):
                rows.append(slim_request(t + timedelta(seconds=2 * k + 1), dep, code))
    rows.append(slim_request(ago(14), "dep-one-success", "200"))  # one success among failures
    rows += [slim_request(ago(m), "dep-one-success", "500") for m in range(13, 3, -1)]
    rows.append(slim_request(ago(15), "dep-edge-success", "200"))  # exactly at the window start
    rows += [slim_request(ago(m), "dep-edge-success", "503") for m in range(12, 2, -1)]
    rows += [slim_request(ago(m), "dep-new", "503") for m in range(12, 2, -1)]  # no traffic yesterday
    rows.sort(key=lambda r: r["TimeGenerated"])
    return rows


def perf_rows(times):
    return [counter(t, "gpu-node-11", "GPU Adapter", "GPU Utilization", "GPU0", 50.0) for t in times]


def log_rows(times):
    return [{"timestamp": iso(t), "level": "INFO", "message": "completed request", "service": "inference-worker",
             "deployment": "llama-3-70b", "latency_ms": 251.5} for t in times]


def diag_rows(times):
    return [{"time": iso(t), "category": "RequestResponse", "operationName": "ChatCompletions_Create",
             "resultSignature": "200", "durationMs": 812} for t in times]


def stale_metrics():
    """A GPU hot on every scrape, but the scrapes stopped 11 minutes ago."""
    tags = {"gpu": "0", "modelName": "NVIDIA H100 80GB HBM3"}
    return [metric(ago(m) + SCRAPE_OFFSET["gpu-node-01"], "gpu-node-01", "DCGM_FI_DEV_GPU_TEMP", 90.0, tags)
            for m in range(40, 10, -1)]


def alert_fixtures(root):
    """quiet/: nothing may fire (the freshest row of each table exactly at its limit or newer);
    stale/: every table one second (or more) older than its freshness alert allows;
    empty/: every table an empty file."""
    tables = {
        "quiet": {"InsightsMetrics": quiet_metrics(), "AppRequests": quiet_requests(),
                  "Perf": perf_rows([ago(60), ago(45), ago(30)]),
                  "InferenceLogs": log_rows([ago(20), ago(15)]), "AzureDiagnostics": diag_rows([ago(180), ago(120)])},
        "stale": {"InsightsMetrics": stale_metrics(),
                  "AppRequests": yesterday_traffic(["gpt-4o", "gpt-4o-mini"]) + [slim_request(ago(15, 1), "gpt-4o", "200")],
                  "Perf": perf_rows([ago(150), ago(120)]),
                  "InferenceLogs": log_rows([ago(30), ago(15, 1)]), "AzureDiagnostics": diag_rows([ago(180), ago(120, 1)])},
        "empty": {name: [] for name in ("InsightsMetrics", "AppRequests", "Perf", "InferenceLogs", "AzureDiagnostics")},
    }
    for case, files in tables.items():
        os.makedirs(os.path.join(root, case), exist_ok=True)
        for name, rows in files.items():
            write_lines(os.path.join(root, case, name + ".jsonl"), rows)


def write_lines(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write((r if isinstance(r, str) else dumps(r)) + "\n")


def write_zstd(path, rows):
    """Writes PATH.zst (and no PATH): the tables too big to keep as plain text."""
    write_lines(path, rows)
    subprocess.run(["zstd", "-q", "-f", "-19", "--rm", path, "-o", path + ".zst"], check=True)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "testdata"
    fixtures = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "alerts")
    os.makedirs(os.path.join(out, "AzureDiagnostics"), exist_ok=True)
    write_zstd(os.path.join(out, "AppRequests.jsonl"), app_requests())
    lines, records = azure_diagnostics()
    write_lines(os.path.join(out, "AzureDiagnostics", "PT1H-2026-11-21.jsonl"), lines)
    with open(os.path.join(out, "AzureDiagnostics", "export-2026-11-20.json"), "w") as f:
        json.dump({"records": records}, f, indent=1)  # older exports: one pretty-printed object
        f.write("\n")
    with open(os.path.join(out, "InferenceLogs.jsonl"), "w") as f:
        f.write("\n".join(inference_logs()))  # no newline after the truncated last line
    write_lines(os.path.join(out, "Perf.jsonl"), perf())
    write_zstd(os.path.join(out, "InsightsMetrics.jsonl"), insights_metrics())
    with open(os.path.join(out, "NOW"), "w") as f:
        f.write(iso(NOW) + "\n")
    alert_fixtures(fixtures)


if __name__ == "__main__":
    main()
