# A `where` straight over a scan hands its `column op constant` conjuncts to
# the reader, which drops lines early; on null and missing values it must
# decide as the kernels do (x == 5 false, x != 5 true). Each predicate is
# counted pushed down and not (a where above an extend is not pushed).
. tests/cli/lib.sh
printf '.create table T (x:long, r:real, s:string, t:datetime)\n' > "$T/schema.kql"
{
  printf '{"x":5,"r":1.5,"s":"a","t":"2026-01-01T00:00:00Z"}\n'
  printf '{"x":6,"r":2.5,"s":"b","t":"2026-01-02T00:00:00Z"}\n'
  printf '{"x":null,"r":null,"s":null,"t":null}\n'
  printf '{}\n'
  printf '{"x":"7","r":"x","s":7,"t":"not a time"}\n'
} > "$T/T.jsonl"
run() { "$AIQ" --schema "$T/schema.kql" -t T="$T/T.jsonl" -o csv --no-header -q "$1" 2>"$T/err" | tr -d '\r'; }
check() { # check PREDICATE COUNT
  pushed=$(run "T | where $1 | count")
  kernel=$(run "T | extend z = 1 | where $1 | count")
  [ "$pushed" = "$2" ] && [ "$kernel" = "$2" ] || die "where $1: pushed down $pushed, in the kernel $kernel, want $2"
}
expect_rc 0 "$AIQ" --schema "$T/schema.kql" -t T="$T/T.jsonl" --explain -q 'T | where x != 5 and s != "a" and r != 1.5 and t != datetime(2026-01-01)'
out_has '[reader tests: (x != 5)]'
out_has '[reader tests: (s != "a")]'
check 'x == 5' 1
check 'x != 5' 4
check '5 != x' 4
check 'x == 7' 1
check 'not(x == 5)' 4
check 'r == 1.5' 1
check 'r != 1.5' 4
check 's == "a"' 1
check 's != "a"' 4
check 's == ""' 2
check 't == datetime(2026-01-01)' 1
check 't != datetime(2026-01-01)' 4
check 'x != 5 and s != "a"' 4
check 'x > 5' 2
