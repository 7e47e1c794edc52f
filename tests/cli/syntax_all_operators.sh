# syntax_all_operators.sh -- `aiq check --syntax` accepts all of Kusto's
# tabular grammar: one valid query (checked with Microsoft's parser,
# tools/kqlcheck) for every tabular operator and tabular function of
# tests/corpus/kusto_builtins.tsv, plugins after evaluate, and the
# statements (set, alias, declare, restrict). Those aiq does not run yet
# bind to "valid KQL but not supported by aiq yet: NAME", never a syntax
# error; the rest bind (or miss only a function another part of issue 14
# adds: "unknown function").
. tests/cli/lib.sh
cat > "$T/schema.kql" <<'SCHEMA'
.create table T (a:long, b:long, c:long, s:string, d:dynamic, t:datetime, id:long)
.create table U (a:long, b:long)
.create table G (a:long)
SCHEMA
mkdir "$T/q"
i=0
while IFS= read -r q; do
  i=$((i + 1))
  printf '%s\n' "$q" > "$T/q/$(printf '%03d' $i).kql"
done <<'QUERIES'
T | as X | count
T | consume
T | count
datatable(a:long)[1, 2]
T | distinct a
T | evaluate bag_unpack(d)
T | project a, b, c | evaluate pivot(a, sum(b))
T | evaluate autocluster()
T | extend c = a * 2
externaldata (a:string, b:long) [h@"https://example.com/data.csv"] with (format="csv", ignoreFirstRecord=true)
T | facet by a, b with (top 3 by c)
find in (T, U) where a has "x" project a, b
T | fork (where a > 1 | take 1) (summarize count())
T | getschema
T | make-graph a --> b with U on a
T | make-graph a --> b with_node_id=id
G | graph-match (n1)-[e*1..3]->(n2) where n1.a > 1 project n1.a, n2.a
G | graph-mark-components
G | graph-shortest-paths (a)-[e*1..5]->(b) where a.id == 1 project b.id
G | graph-to-table nodes with_node_id=Id
let f = (t:(*)) { t | take 1 }; T | invoke f()
T | join kind=inner U on a
T | lookup kind=leftouter (U) on a
macro-expand isfuzzy=true entity_group [T, U] as X (X | where a > 1)
T | make-series n = count() default = 0 on t from ago(1d) to now() step 1h by a
T | mv-apply x = d to typeof(long) on (top 1 by x)
T | mv-expand d to typeof(string) limit 10
T | parse s with "a=" a:long ", " *
T | parse-kv s as (a:long, b:string) with (pair_delimiter=",", kv_delimiter="=")
T | parse-where s with "a=" a:long *
T | partition hint.strategy=native by a (top 1 by b)
print a = 1, b = "x"
T | project a, c = b
T | project-away a*
T | project-by-names "a", "b"
T | project-keep a
T | project-rename e = a
T | project-reorder b asc, a
range x from 1 to 10 step 2
T | reduce by s with threshold=0.5
T | render timechart with (title="x", ysplit=axes)
T | sample 10
T | sample-distinct 5 of a
T | scan declare (n:long = 0) with (step s1: a > 1 => n = s1.n + 1;)
search in (T, U) "needle" | take 10
T | serialize n = row_number()
T | sort by a desc nulls last
T | summarize count() by bin(t, 1h)
T | take 5
T | top 3 by a
T | top-hitters 5 of a by b
T | top-nested 3 of a by sum(b), top-nested 2 of c by count()
union withsource=S T, U, (print a = 1)
T | where a > 1
cluster("https://x.kusto.windows.net").database("db").T | take 1
database("db").T | count
external_table("ext") | take 1
graph("g") | graph-match (a)-[e]->(b) project a
let m = materialize(T | take 10); m | join (m) on a
materialized_view("mv") | take 1
stored_query_result("sq") | take 1
table("T") | take 1
set notruncation; T | take 1
alias database db2 = cluster("https://x.kusto.windows.net").database("db"); T | take 1
declare pattern app; T | take 1
declare query_parameters(p:long = 1); T | where a > p
restrict access to (T); T | take 1
let v = view () { T }; union * | count
T | where * has "x"
print toscalar(T | count)
T | where a in ((U | project a))
QUERIES
[ "$i" -ge 70 ] || die "only $i queries"
for f in "$T"/q/*.kql; do
  expect_rc 0 "$AIQ" check --syntax "$f"
  "$AIQ" check --schema "$T/schema.kql" "$f" > "$T/out" 2> "$T/err" && continue
  grep -q "error: \(valid KQL but not supported by aiq yet: \|unknown function\)" "$T/err" ||
    die "$(cat "$f") :: binds with another error: $(head -1 "$T/err")"
done
exit 0
