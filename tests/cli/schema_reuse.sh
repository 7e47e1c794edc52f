# schema_reuse.sh -- a table without a declared schema is read once, not
# twice, when its files are the ones its types were last inferred from
# (issue 18.1): the schema cache ($XDG_CACHE_HOME/aiq/schemas) notes each
# file's path, device, inode, size and modification time. Any change to
# the files (appended, touched, replaced, a new file in the directory)
# brings the first pass back, and the answer is always the one a first
# pass gives.
. tests/cli/lib.sh
export XDG_CACHE_HOME="$T/cache"
mkdir -p "$T/d"
printf '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n' > "$T/d/T.jsonl"
Q='T | getschema | project ColumnName, ColumnType'

# run WANT_FIRST_PASS: runs Q with --timing over $T/d; checks whether the
# types were read in a pass of their own, and keeps the rows in $T/rows
run() {
  expect_rc 0 "$AIQ" -d "$T/d" --timing -o csv -q "$Q"
  cp "$T/out" "$T/rows"
  if [ "$1" = yes ]; then err_has "read T (first pass, for types)"
  else ! grep -q "first pass, for types" "$T/err" || die "a first pass over unchanged files: $(cat "$T/err")"; fi
}

run yes
[ "$(cat "$T/rows")" = "ColumnName,ColumnType
a,long
b,string" ] || die "first run: $(cat "$T/rows")"
run no
[ "$(cat "$T/rows")" = "ColumnName,ColumnType
a,long
b,string" ] || die "second run, types from the cache: $(cat "$T/rows")"

# appended: a string in a, now dynamic as a first pass finds
printf '{"a":"zz","b":"y"}\n' >> "$T/d/T.jsonl"
run yes
grep -qx "a,dynamic" "$T/rows" || die "after an append: $(cat "$T/rows")"
run no

# touched (same bytes, a new modification time)
sleep 0.01; touch "$T/d/T.jsonl"
run yes
# replaced by another file of the same size (a new inode)
printf '{"a":3,"b":"q"}\n{"a":4,"b":"r"}\n{"a":5,"b":"s"}\n' > "$T/new"
mv "$T/new" "$T/d/T.jsonl"
run yes
grep -qx "a,long" "$T/rows" || die "after a replace: $(cat "$T/rows")"
# a directory table: a new file in it
rm "$T/d/T.jsonl"; mkdir "$T/d/T"
printf '{"a":1}\n' > "$T/d/T/1.log"
run yes
run no
printf '{"c":true}\n' > "$T/d/T/2.log"
run yes
grep -qx "c,bool" "$T/rows" || die "after a new file: $(cat "$T/rows")"
# no cache directory at all: every run infers, and answers the same
export XDG_CACHE_HOME= HOME=
run yes
run yes
grep -qx "c,bool" "$T/rows" || die "without a cache: $(cat "$T/rows")"
exit 0
