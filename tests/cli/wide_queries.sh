# Queries wider than the executor's old fixed arrays: sort by 64 keys
# (kc[64]), datatable of 512 columns (vecs[512]), summarize by 256 keys
# (kcols[256]), take_any of 512 columns (extra[512]), parse with 256
# captures (caps[256]), a name of 512 bytes (buf[512]); each at and past
# the old bound. ASan reported the overruns before the arrays were sized
# from the query.
. tests/cli/lib.sh
# cols N PREFIX: "PREFIX0:long, PREFIX1:long, ..." for a datatable
cols() { seq 0 $(($1 - 1)) | sed "s/.*/$2&:long/" | paste -sd, -; }
# names N PREFIX [SUFFIX]: "PREFIX0SUFFIX, PREFIX1SUFFIX, ..."
names() { seq 0 $(($1 - 1)) | sed "s/.*/$2&${3:-}/" | paste -sd, -; }
# vals N V: N copies of V, comma separated
vals() { seq 1 "$1" | sed "s/.*/$2/" | paste -sd, -; }

for n in 64 70; do
  # the rows differ only in the last key: all n keys must take part
  q="datatable($(cols $n k)) [$(vals $((n - 1)) 1), 2, $(vals $((n - 1)) 1), 3, $(vals $((n - 1)) 1), 1] | sort by $(names $n k ' asc') | project k$((n - 1))"
  expect_rc 0 "$AIQ" -o ndjson -q "$q"
  expect_out "{\"k$((n - 1))\":1}
{\"k$((n - 1))\":2}
{\"k$((n - 1))\":3}"
done
for n in 512 600; do
  expect_rc 0 "$AIQ" -o ndjson -q "datatable($(cols $n c)) [$(seq 1 $n | paste -sd, -)] | project c0, c$((n - 1))"
  expect_out "{\"c0\":1,\"c$((n - 1))\":$n}"
  # take_any(*) carries every column
  expect_rc 0 "$AIQ" -o ndjson -q "datatable($(cols $n c)) [$(seq 1 $n | paste -sd, -)] | summarize take_any(*) | project c$((n - 1)), c0"
  expect_out "{\"c$((n - 1))\":$n,\"c0\":1}"
done
for n in 256 300; do
  q="datatable($(cols $n k)) [$(vals $n 1), $(vals $n 1), $(vals $((n - 1)) 1), 2] | summarize c = count() by $(names $n k) | sort by k$((n - 1)) asc | project k$((n - 1)), c"
  expect_rc 0 "$AIQ" -o ndjson -q "$q"
  expect_out "{\"k$((n - 1))\":1,\"c\":2}
{\"k$((n - 1))\":2,\"c\":1}"
done
for n in 256 300; do
  # "1 2 3 ... n" parsed into n long columns
  text=$(seq 1 $n | paste -sd' ' -)
  pat=$(seq 0 $((n - 1)) | sed 's/.*/p&:long/' | paste -sd'?' - | sed 's/?/ " " /g')
  expect_rc 0 "$AIQ" -o ndjson -q "print s = \"$text\" | parse s with $pat | project p0, p$((n - 1))"
  expect_out "{\"p0\":1,\"p$((n - 1))\":$n}"
done
for n in 511 600; do
  long=$(printf "%0${n}d" 0 | tr 0 x)
  expect_rc 0 "$AIQ" -o ndjson -q "print a = 1, ['$long'] = 2 | project-away ['$long']"
  expect_out '{"a":1}'
  expect_rc 0 "$AIQ" -o ndjson -q "print a = 1, $long = 2 | project-away $long"
  expect_out '{"a":1}'
  expect_rc 0 "$AIQ" -o ndjson -q "print a = 1, $long = 2 | project-away ${long}*"
  expect_out '{"a":1}'
done
# 100k columns: each name is looked up in a hash index, not a scan of the
# schema (projecting 100k columns took 29 s, project-away 60 s)
n=100000
assigns=$(seq 0 $((n - 1)) | sed 's/.*/c&=&/' | paste -sd, -)
wide() { printf '%s\n' "$1" > "$T/wide.kql"; expect_rc 0 timeout 20 "$AIQ" -o ndjson -f "$T/wide.kql"; expect_out "$2"; }
wide "print $assigns | project $(seq 0 $((n - 1)) | sed 's/.*/c&/' | paste -sd, -) | project c99999, c0" '{"c99999":99999,"c0":0}'
wide "print x = 1 | extend $assigns | project c99999, c0" '{"c99999":99999,"c0":0}'
wide "print $assigns | project-away $(seq 1 $((n - 1)) | sed 's/.*/c&/' | paste -sd, -)" '{"c0":0}'
wide "print $assigns | project-rename $(seq 0 $((n - 1)) | sed 's/.*/d&=c&/' | paste -sd, -) | project d99999, d0" '{"d99999":99999,"d0":0}'
wide "print $assigns | summarize take_any(*) | project c99999, c0" '{"c99999":99999,"c0":0}'
