#!/usr/bin/env python3
"""schema_json.py SCHEMA.kql -- prints the .create table declarations as the
JSON that ../shared/tools/kqlcheck --schema takes ({"T": [["Col","type"],...]})."""
import json, re, sys

text = open(sys.argv[1]).read()
out = {}
for m in re.finditer(r"\.create(?:-merge)?\s+table\s+(\w+)\s*\(([^)]*)\)", text):
    cols = [c.strip().split(":") for c in m.group(2).split(",") if c.strip()]
    out[m.group(1)] = [[n.strip(), t.strip()] for n, t in cols]
print(json.dumps(out))
