# alerts_lib.sh -- helpers for the saved-alert tests (alerts.sh, alerts_empty.sh), sourced by
# them: each runs a query of queries/ as cron would, with now() at the fixtures' end.
. tests/cli/lib.sh
NOW=2026-11-21T12:00:00Z
FX=tests/data/alerts

# run RC DIR NAME [ARGS...]: queries/NAME.kql over DIR as cron would run it, TSV in $T/out
run() {
  run_rc=$1 run_dir=$2 run_name=$3
  shift 3
  expect_rc "$run_rc" "$AIQ" --fail-on-rows --now "$NOW" -o tsv -d "$run_dir" "$@" "queries/$run_name.kql"
}
# fires DIR NAME FIELDS WANT [ARGS...]: exit 3, and FIELDS (cut -f) of the rows, sorted and
# joined by '|', are WANT
fires() {
  fires_dir=$1 fires_name=$2 fires_fields=$3 fires_want=$4
  shift 4
  run 3 "$fires_dir" "$fires_name" "$@"
  got=$(tail -n +2 "$T/out" | cut -f "$fires_fields" | sort | tr '\t\n' ' |')
  [ "$got" = "$fires_want|" ] || die "$fires_name on $fires_dir $*: rows '$got', want '$fires_want|'"
}
# quiet DIR NAME [ARGS...]: exit 0 and no rows
quiet() {
  quiet_dir=$1 quiet_name=$2
  shift 2
  run 0 "$quiet_dir" "$quiet_name" "$@"
  [ "$(tail -n +2 "$T/out")" = "" ] || die "$quiet_name on $quiet_dir $*: fired: $(cat "$T/out")"
}
# peak DIR QUERY: the single value QUERY answers (the spikes the alerts must not fire on)
peak() {
  "$AIQ" --now "$NOW" -o tsv -d "$1" -q "$2" > "$T/peak" 2> "$T/peak.err" ||
    die "peak query failed: $(cat "$T/peak.err")"
  tail -n +2 "$T/peak"
}
