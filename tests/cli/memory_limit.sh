# --max-memory limits what the process holds (its resident memory), and a
# query that grows past it stops with exit 4, having held at most about
# 10% more; one that fits is not stopped early by a doubling it would not
# fill. Without --max-memory the limit is 80% of the machine's memory, or
# of its cgroup's limit. (Issue 12, point 14: make_set of 5M ids took 423 MB
# under 256M; count() by a key of 5M values needed 1.2 GB.)
. tests/cli/lib.sh
# what the limit is on: the resident peak, or (under ASan, whose own
# memory is most of what is resident) the allocator's count
peak() { if grep -q 'peak resident' "$T/err"; then sed -n 's/.*peak resident \([0-9]*\)\..*/\1/p' "$T/err"
         else sed -n 's/.*peak memory \([0-9]*\)\..*/\1/p' "$T/err"; fi; }
within() { # within LIMIT_MIB: the resident peak is at most 10% over
  [ -n "$(peak)" ] && [ "$(peak)" -le $(($1 + $1 / 10)) ] || die "peak resident $(peak) MiB under a limit of $1 MiB: $(cat "$T/err")"
}
for q in 'range x from 1 to 3000000 step 1 | summarize count() by tostring(x) | count' \
         'range x from 1 to 3000000 step 1 | distinct tostring(x) | count' \
         'range x from 1 to 3000000 step 1 | summarize s = make_set(tostring(x)) | project n = array_length(s) | count'; do
  expect_rc 4 "$AIQ" --timing --max-memory 64M -o ndjson -q "$q"
  err_has 'error: memory limit reached (--max-memory 64 MiB): the query needs more memory than allowed'
  expect_out ''
  within 64
  expect_rc 0 "$AIQ" --timing --max-memory 768M -o ndjson -q "$q"
  expect_out '{"Count":'"$(case $q in *make_set*) echo 1;; *) echo 3000000;; esac)"'}'
  within 768
done
# the default: a share of the machine's memory, or of the cgroup's limit
expect_rc 0 "$AIQ" --timing -o ndjson -q 'print 1'
line=$(grep 'memory limit: ' "$T/err")
case $line in
  *"80% of the machine's memory"*)
    want=$(awk '/^MemTotal:/ { printf "%d", int($2 * 1024 / 100) * 80 / 1048576 }' /proc/meminfo)
    case $line in *"memory limit: $want MiB, 80% of the machine's memory"*) ;; *) die "default limit: $line, want $want MiB";; esac ;;
  *"80% of the cgroup's memory limit"*) ;;
  *) die "no default memory limit: $line" ;;
esac
