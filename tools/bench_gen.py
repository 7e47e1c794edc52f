#!/usr/bin/env python3
"""bench_gen.py ROWS OUT.jsonl -- AppRequests-shaped JSON lines for make bench
(deterministic; about 450 bytes a row), and OUT.roles.jsonl, a 1k-row table
to join with."""
import json, random, sys
from datetime import datetime, timedelta, timezone

n, out = int(sys.argv[1]), sys.argv[2]
R = random.Random(7)
t0 = datetime(2026, 11, 20, tzinfo=timezone.utc)
roles = ["role-%03d" % i for i in range(1000)]
deps = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-35-turbo"]
with open(out, "w") as f:
    for i in range(n):
        ts = t0 + timedelta(milliseconds=i * 86)
        total = R.randint(50, 4000)
        tok = total if R.random() < 0.85 else (str(total) if R.random() < 0.7 else "n/a")
        rec = {"TimeGenerated": ts.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ts.microsecond // 1000),
               "Id": "%016x" % R.getrandbits(64), "Name": "POST /openai/deployments/%s/chat/completions" % R.choice(deps),
               "DurationMs": round(R.lognormvariate(6, 0.7), 3), "ResultCode": R.choices(["200", "429", "500", "503"], [90, 6, 2, 2])[0],
               "Success": True, "AppRoleName": R.choice(roles), "AppRoleInstance": "inst-%d" % R.randint(0, 9),
               "OperationId": "%016x" % R.getrandbits(64), "ClientIP": "10.0.%d.%d" % (R.randint(0, 255), R.randint(0, 255)),
               "ItemCount": 1, "Properties": {"deployment": R.choice(deps), "model_version": "2024-08-06",
                                              "tokens.total": tok, "region": R.choice(["eastus", "westeurope"]), "stream": R.random() < 0.5}}
        f.write(json.dumps(rec, separators=(",", ":")) + "\n")
with open(out.replace(".jsonl", ".roles.jsonl"), "w") as f:
    for i, r in enumerate(roles):
        f.write(json.dumps({"AppRoleName": r, "Team": "team-%d" % (i % 20)}) + "\n")
