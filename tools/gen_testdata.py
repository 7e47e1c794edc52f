#!/usr/bin/env python3
"""gen_testdata.py OUTDIR -- writes the bundled sample logs (deterministic).

Five tables shaped like the logs in ../shared/LOGS.md, ending at NOW
(2026-11-21T12:00:00Z), with incidents planted so every saved query in
queries/ returns rows worth reading:
  - a 429 storm on the gpt-4o deployment (aoai-gateway) 2026-11-20 14:00-15:00;
  - chat-api's p99 latency grows after model_version 2024-11-20 ships at 06:00 today;
  - a 5xx burst on embeddings-api in the last hour;
  - a slow tail from westeurope;
  - GPU incidents in the last 15 minutes (temperature, framebuffer, vLLM queue,
    p95 latency over the SLO, an XID 79 error).
InferenceLogs has a few broken lines (a stray print, a truncated last line).
InsightsMetrics is zstd-compressed; AzureDiagnostics is a directory holding a
JSON-lines file and an older {"records": [...]} export.
"""
import json, os, random, subprocess, sys
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 21, 12, 0, 0, tzinfo=timezone.utc)
R = random.Random(20261121)


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
    rows = []
    t = NOW - timedelta(days=8)
    while t < NOW:
        age = NOW - t
        step = timedelta(minutes=20) if age > timedelta(days=1) else timedelta(minutes=5)
        for svc, (name, deployment, model, base) in SERVICES.items():
            ts = t + timedelta(seconds=R.randint(0, int(step.total_seconds()) - 1), microseconds=R.randint(0, 999) * 1000)
            rows.append(make_request(ts, svc, name, deployment, model, base))
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
    rows.sort(key=lambda r: r["TimeGenerated"])
    return rows


def make_request(ts, svc, name, deployment, model, base):
    region = R.choice(REGIONS)
    version = "2024-08-06"
    if svc == "chat-api" and ts >= NOW - timedelta(hours=6):
        version = "2024-11-20"
    dur = R.lognormvariate(0, 0.5) * base
    if region == "westeurope":
        dur *= 1.8  # the slow region
    if svc == "chat-api" and version == "2024-11-20" and R.random() < 0.15:
        dur *= 6  # the new model version's tail
    dur = round(dur) if R.random() < 0.5 else round(dur, 3)  # ints and reals mixed
    code = "200"
    x = R.random()
    if x < 0.01:
        code = "500"
    elif x < 0.02:
        code = "429"
    prompt = R.randint(50, 3000)
    completion = R.randint(0, 800) if svc != "embeddings-api" else 0
    total = prompt + completion
    props = {"deployment": deployment, "model": model, "model_version": version, "region": region,
             "stream": R.random() < 0.4}
    y = R.random()
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
    op = "%016x" % R.getrandbits(64)
    return {
        "TimeGenerated": iso(ts), "Id": "%016x" % R.getrandbits(64), "Name": name,
        "Url": "https://%s.internal%s" % (svc, name.split(" ", 1)[1]),
        "DurationMs": dur, "ResultCode": code, "Success": code == "200", "AppRoleName": svc,
        "AppRoleInstance": "%s-%d" % (svc, R.randint(0, 3)), "OperationId": op,
        "OperationName": name, "ClientIP": "10.0.%d.0" % R.randint(0, 9), "ItemCount": 1,
        "Properties": props, "Measurements": {"tokensPerSecond": round(R.uniform(20, 120), 2)},
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
    while t < NOW:
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


def insights_metrics():
    rows = []
    t = NOW - timedelta(hours=6)
    while t < NOW:
        recent = t >= NOW - timedelta(minutes=15)
        for node in ["gpu-node-01", "gpu-node-02"]:
            for g in ["0", "1"]:
                tags = {"gpu": g, "UUID": "GPU-%s-%s" % (node[-2:], g), "modelName": "NVIDIA H100 80GB HBM3", "pod": "dcgm-exporter-%s" % node[-2:]}
                temp = R.randint(58, 76)
                if node == "gpu-node-02" and g == "1" and recent:
                    temp = R.randint(84, 89)
                used = R.randint(40000, 60000)
                if node == "gpu-node-01" and g == "0" and recent:
                    used = R.randint(76000, 79000)
                rows.append(metric(t, node, "DCGM_FI_DEV_GPU_UTIL", float(R.randint(35, 99)), tags))
                rows.append(metric(t, node, "DCGM_FI_DEV_GPU_TEMP", float(temp), tags))
                rows.append(metric(t, node, "DCGM_FI_DEV_FB_USED", float(used), tags))
                rows.append(metric(t, node, "DCGM_FI_DEV_FB_FREE", float(81559 - used), tags))
                xid = 79.0 if (node == "gpu-node-02" and g == "1" and t == NOW - timedelta(minutes=20)) else 0.0
                rows.append(metric(t, node, "DCGM_FI_DEV_XID_ERRORS", xid, tags))
        for pod, model in [("vllm-llama-0", "llama-3-70b"), ("vllm-llama-1", "llama-3-70b")]:
            tags = {"pod": pod, "modelName": model}
            node = "gpu-node-01" if pod.endswith("0") else "gpu-node-02"
            waiting = R.randint(0, 20)
            if pod == "vllm-llama-1" and recent:
                waiting = R.randint(60, 90)
            rows.append(metric(t, node, "vllm:num_requests_running", float(R.randint(4, 32)), tags))
            rows.append(metric(t, node, "vllm:num_requests_waiting", float(waiting), tags))
            rows.append(metric(t, node, "vllm:gpu_cache_usage_perc", round(R.uniform(0.3, 0.95), 3), tags))
            rows.append(metric(t, node, "vllm:time_to_first_token_seconds", round(R.lognormvariate(-1.5, 0.5), 3), tags))
            slow = t >= NOW - timedelta(minutes=30)
            for _ in range(3):
                lat = R.lognormvariate(1.2, 0.4) * (4 if slow and R.random() < 0.6 else 1)
                rows.append(metric(t, node, "vllm:e2e_request_latency_seconds", round(lat, 3), tags))
        t += timedelta(minutes=5)
    return rows


def metric(t, node, name, val, tags):
    return {"TimeGenerated": iso(t), "Computer": node, "Namespace": "prometheus", "Name": name, "Val": val, "Tags": tags}


def write_lines(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write((r if isinstance(r, str) else dumps(r)) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "testdata"
    os.makedirs(os.path.join(out, "AzureDiagnostics"), exist_ok=True)
    write_lines(os.path.join(out, "AppRequests.jsonl"), app_requests())
    lines, records = azure_diagnostics()
    write_lines(os.path.join(out, "AzureDiagnostics", "PT1H-2026-11-21.jsonl"), lines)
    with open(os.path.join(out, "AzureDiagnostics", "export-2026-11-20.json"), "w") as f:
        json.dump({"records": records}, f, indent=1)  # older exports: one pretty-printed object
        f.write("\n")
    with open(os.path.join(out, "InferenceLogs.jsonl"), "w") as f:
        f.write("\n".join(inference_logs()))  # no newline after the truncated last line
    write_lines(os.path.join(out, "Perf.jsonl"), perf())
    raw = os.path.join(out, "InsightsMetrics.jsonl")
    write_lines(raw, insights_metrics())
    subprocess.run(["zstd", "-q", "-f", "-19", "--rm", raw, "-o", raw + ".zst"], check=True)
    with open(os.path.join(out, "NOW"), "w") as f:
        f.write(iso(NOW) + "\n")


if __name__ == "__main__":
    main()
