# Issue 14's operators at the command line: externaldata's errors at run
# time (a URL is valid KQL, so `aiq check` accepts it; running it says to
# download the file, exit 2), a missing file, and the columns pivot and
# bag_unpack have under `aiq check` (nothing runs) and when the query runs.
. tests/cli/lib.sh
expect_rc 2 "$AIQ" -q 'externaldata (l:string) ["https://example.com/x.csv"]'
err_has 'query:1:26: error: aiq reads local files only: download it first, then name the file (https)'
expect_rc 2 "$AIQ" -q 'externaldata (l:string) [h@"https://acct.blob.core.windows.net/c/x.csv;secret"] with (format="csv") | count'
err_has 'aiq reads local files only: download it first'
printf 'externaldata (l:string) ["https://example.com/x.csv"]\n' > "$T/url.kql"
expect_rc 0 "$AIQ" check "$T/url.kql"
expect_rc 2 "$AIQ" -q "externaldata (l:string) [\"$T/missing.csv\"]"
err_has "$T/missing.csv: No such file or directory"
# a file:// URL and a path relative to the working directory
printf 'a,1\nb,2\n' > "$T/x.csv"
expect_rc 0 "$AIQ" -o csv --no-header -q "externaldata (k:string, v:long) [\"file://$T/x.csv\"] | summarize sum(v)"
expect_out '3'
abs=$(cd "$(dirname "$AIQ")" && pwd)/$(basename "$AIQ")
(cd "$T" && "$abs" -o csv --no-header -q 'externaldata (k:string, v:long) ["x.csv"] | count') > "$T/out" 2> "$T/err" || die "relative path: $(cat "$T/err")"
expect_out '2'
# pivot and bag_unpack: check has the columns known without the data, a run the data's
printf '{"k":"a","v":1,"d":{"x":1,"y":"s"}}\n{"k":"b","v":2,"d":{"x":2}}\n' > "$T/T.jsonl"
printf 'T | project k, v, w = tostring(d.y) | evaluate pivot(k, sum(v))\n' > "$T/p.kql"
expect_rc 0 "$AIQ" check -t T="$T/T.jsonl" --explain "$T/p.kql"
expect_out "$T/p.kql: columns: w:string"
printf 'T | project k, v | evaluate pivot(k, sum(v))\n' > "$T/p2.kql"
expect_rc 0 "$AIQ" -t T="$T/T.jsonl" -o csv "$T/p2.kql"
expect_out 'a,b
1,2'
printf 'T | evaluate bag_unpack(d) | project k, x, y\n' > "$T/b.kql"
expect_rc 0 "$AIQ" -t T="$T/T.jsonl" -o csv "$T/b.kql"
expect_out 'k,x,y
a,1,s
b,2,'
# externaldata is held to --max-memory (exit 4), with its file named
seq 1 300000 | sed 's/$/,abcdefghijklmnopqrstuvwxyz/' > "$T/big.csv"
expect_rc 4 "$AIQ" --max-memory 4M -q "externaldata (n:long, s:string) [\"$T/big.csv\"] | count"
err_has "big.csv: memory limit (--max-memory) reached while reading externaldata"
expect_rc 0 "$AIQ" -o csv --no-header -q "externaldata (n:long, s:string) [\"$T/big.csv\"] | summarize count(), sum(n)"
expect_out '300000,45000150000'
