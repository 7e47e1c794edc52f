import json, sys, random
random.seed(7)
n = int(sys.argv[1])
out = open(sys.argv[2], 'w')
roles = ["chat-api", "embed-api", "batch", "gateway", "ranker"]
for i in range(n):
    r = {"ts": "2026-11-20T%02d:%02d:%02d.%03dZ" % ((i // 3600) % 24, (i // 60) % 60, i % 60, i % 1000),
         "id": "%08x" % random.getrandbits(32), "role": roles[i % 5] if i % 97 else "role-%d" % (i % 13),
         "code": random.choice(["200", "200", "200", "429", "500"]), "dur": round(random.random() * 1000, 3)}
    if i % 11: r["ok"] = (i % 3 == 0)
    if i % 7: r["n"] = i
    if i % 5 == 0: r["props"] = {"k": "v%d" % (i % 4), "x": i}
    if i % 9 == 0: r["tags"] = ["a", i % 3]
    if i % 17 == 0: r["big"] = "blob-%d-" % i + "x" * (i % 50)
    line = json.dumps(r)
    if i % 1000 == 999:  # dynamic values that must read back the same: a real that looks whole, a NUL, huge numbers
        line = line[:-1] + ', "props": {"k": "v9", "r": 1.0, "z": "a\\u0000b", "huge": 1e309, "i": 18446744073709551616}}'
    out.write(line + "\n")
