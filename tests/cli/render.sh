# render (issue 15, CLI.md): in a pipe or with another output format the rows
# go out unchanged, with one note on stderr; --chart FILE.svg writes the chart
# as a complete SVG document, whole or not at all, while the rows still go to
# stdout; a query without a chart to draw is a usage error with --chart.
. tests/cli/lib.sh
D=testdata
NOW=$(cat testdata/NOW)
Q='AppRequests | where TimeGenerated > ago(1d) | summarize Requests = count() by bin(TimeGenerated, 1h), AppRoleName'

# pipes: the data is what the query gives without render; one note
expect_rc 0 "$AIQ" -d $D --now "$NOW" -o csv -q "$Q"
cp "$T/out" "$T/plain.csv"
expect_rc 0 "$AIQ" -d $D --now "$NOW" -o csv -q "$Q | render timechart with (title='Requests')"
cmp -s "$T/out" "$T/plain.csv" || die "render changed the rows in a pipe: $(diff "$T/plain.csv" "$T/out" | head -5)"
expect_err "aiq: render timechart not drawn: the output is not a terminal; the rows follow unchanged (--chart FILE.svg draws it to a file)"
# render table is the table: nothing to say
expect_rc 0 "$AIQ" -d $D --now "$NOW" -o csv -q "$Q | render table"
expect_err ""

# --chart: the SVG, and the rows on stdout as usual (no note: the chart was drawn)
expect_rc 0 "$AIQ" -d $D --now "$NOW" -o csv --chart "$T/req.svg" -q "$Q | render timechart with (title='Requests per hour', ytitle='requests')"
cmp -s "$T/out" "$T/plain.csv" || die "--chart changed the rows on stdout"
expect_err ""
svg=$T/req.svg
[ -s "$svg" ] || die "no SVG written"
head -c 5 "$svg" | grep -q '^<svg ' || die "not an SVG document: $(head -c 80 "$svg")"
tail -c 7 "$svg" | grep -q '</svg>' || die "the SVG is not complete: $(tail -c 80 "$svg")"
python3 - "$svg" "$T/plain.csv" <<'PY' || die "SVG structure"
import csv, sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()          # well-formed XML, or this fails
texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
roles = sorted({r["AppRoleName"] for r in csv.DictReader(open(sys.argv[2]))})
assert "Requests per hour" in texts, texts[:10]
assert "requests" in texts, "y title missing"
for role in roles:                               # one legend entry per series
    assert role in texts, (role, texts)
groups = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-series")]
assert sorted(g.get("data-series") for g in groups) == roles, groups    # one line per series
assert all(g.find("s:path", ns) is not None for g in groups)
assert any(t.startswith("Nov") or ":" in t for t in texts), "no time labels on the x axis"
PY
[ "$(stat -c %a "$svg")" = "$(umask -S >/dev/null; printf '%o' $((0666 & ~$(umask))))" ] ||
  die "the chart file's mode is $(stat -c %a "$svg"), not a new file's"

# make-series output renders directly: one series per row and array column
expect_rc 0 "$AIQ" -d $D --now "$NOW" -o csv --chart "$T/ms.svg" -q "AppRequests | where TimeGenerated > ago(1d) | make-series n = count() on TimeGenerated step 1h by AppRoleName | render timechart"
python3 - "$T/ms.svg" "$T/out" <<'PY' || die "make-series SVG"
import csv, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
rows = list(csv.DictReader(open(sys.argv[2])))
groups = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-series")]
assert len(groups) == len(rows) > 1, (len(groups), len(rows))
assert sorted(g.get("data-series") for g in groups) == sorted(r["AppRoleName"] for r in rows)
PY

# whole or not at all: an unwritable place leaves the old chart and no rows
mkdir "$T/ro" && cp "$svg" "$T/ro/c.svg" && chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
  expect_rc 2 "$AIQ" -d $D --now "$NOW" -o csv --chart "$T/ro/c.svg" -q "$Q | render timechart"
  err_has "--chart $T/ro/c.svg: cannot write the chart:"
  expect_out ""
  cmp -s "$svg" "$T/ro/c.svg" || die "a failed write changed the old chart"
fi
expect_rc 2 "$AIQ" -d $D --now "$NOW" -o csv --chart "$T/nodir/c.svg" -q "$Q | render timechart"
err_has "--chart $T/nodir/c.svg: cannot write the chart: No such file or directory"
expect_out ""
[ -z "$(ls -A "$T/ro" | grep -v '^c.svg$')" ] || die "a temporary file was left: $(ls -A "$T/ro")"
chmod 755 "$T/ro"

# --chart needs a chart
expect_rc 2 "$AIQ" -d $D --now "$NOW" --chart "$T/x.svg" -q "$Q"
expect_err "aiq: --chart $T/x.svg: the query does not end in 'render'; end it with a chart such as '| render timechart'"
expect_rc 2 "$AIQ" -d $D --now "$NOW" --chart "$T/x.svg" -q "$Q | render table"
err_has "ends in 'render table', which draws no chart"
[ ! -e "$T/x.svg" ] || die "a chart was written without render"
# a chart that cannot be drawn is an error with --chart, not a blank file
expect_rc 1 "$AIQ" -d $D --now "$NOW" --chart "$T/x.svg" -q "AppRequests | summarize count() by AppRoleName | render timechart"
err_has "render timechart needs a datetime column"
[ ! -e "$T/x.svg" ] || die "a chart was written that could not be drawn"
# render's properties are checked with the query (aiq check sees them)
printf '%s\n' "$Q | render columnchart with (kind=bogus)" > "$T/bad.kql"
expect_rc 1 "$AIQ" check -d $D "$T/bad.kql"
err_has "render property kind cannot be 'bogus'; expected default, unstacked, stacked or stacked100"
# Kusto's older form without 'with'
printf '%s\n' "$Q | render columnchart kind=stacked" > "$T/old.kql"
expect_rc 0 "$AIQ" check -d $D "$T/old.kql"
exit 0
