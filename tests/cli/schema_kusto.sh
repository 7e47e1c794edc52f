# aiq schema --kusto: the Azure Data Explorer commands that load the same JSON-lines files.
# The JSON ingestion mapping is checked by applying it: each column's JSON path, evaluated
# on every line of the file, gives what aiq reads for that column (odd names included:
# spaces, quotes, backslashes, dots), with the type aiq gives it. tests/kqlcheck_agree.sh
# checks that every command is valid for Microsoft's Kusto parser.
. tests/cli/lib.sh
command -v python3 > /dev/null || die "python3 is needed to apply the mapping"
mkdir "$T/logs"
cat > "$T/logs/Odd.jsonl" <<'EOF'
{"odd name":"x","it's":1,"a.b":2.5,"back\\slash":true,"q\"uote":"y","Properties":{"k":1,"deep":{"z":[1,2]}},"TimeGenerated":"2026-01-01T00:00:00Z"}
{"odd name":"w","it's":7,"a.b":-1.25,"back\\slash":false,"q\"uote":"v","Properties":{"k":2},"TimeGenerated":"2026-01-02T03:04:05Z"}
EOF
cp "$T/logs/Odd.jsonl" "$T/plain.jsonl"
zstd -q --rm "$T/logs/Odd.jsonl"
expect_rc 0 "$AIQ" schema --kusto -d "$T/logs"
cp "$T/out" "$T/kusto.txt"
"$AIQ" -d "$T/logs" -o json -q 'Odd' > "$T/rows.json" || die "reading Odd failed"
"$AIQ" schema -d "$T/logs" > "$T/create.txt" || die "aiq schema failed"
python3 - "$T/kusto.txt" "$T/plain.jsonl" "$T/rows.json" "$T/create.txt" <<'EOF' || exit 1
import json, re, sys
kusto, data, rows, create = (open(p).read() for p in sys.argv[1:5])
def jsonpath(path, obj):
    # $.name or $['name'] with \' and \\ escaped: what the mapping writes
    if path.startswith("$."):
        return obj.get(path[2:])
    m = re.fullmatch(r"\$\['((?:[^'\\]|\\.)*)'\]", path)
    assert m, "unexpected JSON path " + path
    return obj.get(re.sub(r"\\(.)", r"\1", m.group(1)))
mapping = json.loads(re.search(r"```\n(.*?)\n```", kusto, re.S).group(1))
columns = [(e["column"], e["datatype"]) for e in mapping]
assert [e["Properties"]["Path"][:1] for e in mapping] == ["$"] * len(mapping), mapping
# the mapping's columns and types are aiq's, in order
assert kusto.count(create.strip()) == 1, "the .create table of aiq schema is missing"
decl = re.search(r"\((.*)\)", create).group(1)
names = re.findall(r"(?:\['((?:[^'\\]|\\.)*)'\]|(\w+)):(\w+)", decl)
aiq_cols = [(re.sub(r"\\(.)", r"\1", q) or p, t) for q, p, t in names]
assert columns == aiq_cols, (columns, aiq_cols)
# applied to each line, each path gives what aiq reads for that column
lines = [json.loads(l) for l in data.splitlines()]
got = json.loads(rows)
assert len(got) == len(lines) == 2
for line, row in zip(lines, got):
    for name, _ in columns:
        want = row[name]
        have = jsonpath(next(e["Properties"]["Path"] for e in mapping if e["column"] == name), line)
        assert have == want, (name, have, want)
EOF
# the zstd file is named as gzip, which ADX reads, with the command that makes it
out_has "// $T/logs/Odd.jsonl.zst: zstd, which ADX does not read; upload it as gzip: zstd -dc $T/logs/Odd.jsonl.zst | gzip > Odd/Odd.jsonl.gz"
out_has ".ingest into table Odd (h'https://ACCOUNT.blob.core.windows.net/CONTAINER/Odd/Odd.jsonl.gz;impersonate')"
out_has "    with (format='multijson', ingestionMappingReference='Odd_mapping')"
out_has '.create-or-alter table Odd ingestion json mapping "Odd_mapping"'
# one table of several, by name; blocks a blank line apart: create, mapping, one per file
printf '{"a":1}\n' > "$T/logs/Other.jsonl"
gzip -c "$T/plain.jsonl" > "$T/logs/Other.jsonl.1.gz"
expect_rc 0 "$AIQ" schema --kusto -d "$T/logs" Other
out_lacks "Odd"
[ "$(grep -c '^$' "$T/out")" = 3 ] || die "want 4 blocks for 2 files: $(cat "$T/out")"
out_has "// $T/logs/Other.jsonl.1.gz
.ingest into table Other (h'https://ACCOUNT.blob.core.windows.net/CONTAINER/Other/Other.jsonl.1.gz;impersonate')"
# a table name that needs quoting: quoted in commands, percent-encoded in the blob's URL
expect_rc 0 "$AIQ" schema --kusto -t "odd t'able=$T/plain.jsonl"
out_has ".create table ['odd t\\'able'] ("
out_has "(h'https://ACCOUNT.blob.core.windows.net/CONTAINER/odd%20t%27able/plain.jsonl;impersonate')"
out_has "ingestionMappingReference='odd t\\'able_mapping'"
# an Azure diagnostic export holding {"records": [...]} is flagged: ADX takes it as one row
printf '{"records": [{"time": "2026-01-01T00:00:00Z", "v": 1}]}\n' > "$T/PT1H.json"
expect_rc 0 "$AIQ" schema --kusto -t "Diag=$T/PT1H.json"
out_has "// (it holds {\"records\": [...]}, which ADX ingests as one row: upload its records one a line instead: jq -c '.records[]')"
out_has '{"column": "time", "datatype": "datetime", "Properties": {"Path": "$.time"}}'
# an unknown table is an error
expect_rc 2 "$AIQ" schema --kusto -d "$T/logs" Nope
err_has "unknown table 'Nope'"
