# Alerts on empty tables with no schema declared anywhere (no --schema, no schema.kql, nothing
# remembered in $XDG_CACHE_HOME/aiq): a log file just rotated to empty, or a directory with no
# file in it yet, must answer as Kusto does, not fail with "unknown column" (exit 1) and mail
# an error instead of an answer. The freshness alerts fire (one row, no newest time), the
# others answer with no rows. alerts.sh checks the same with a declared schema.
. tests/cli/alerts_lib.sh
export XDG_CACHE_HOME="$T/cache"
for table in AppRequests InsightsMetrics Perf InferenceLogs AzureDiagnostics; do
  fires "$FX/empty" "alert_stale_$table" 1,2,3 "$table  "
done
for q in queries/alert_*.kql; do
  case $q in */alert_stale_*) continue ;; esac
  quiet "$FX/empty" "$(basename "$q" .kql)"
done
# a table that is an empty directory
for table in AppRequests InsightsMetrics Perf InferenceLogs AzureDiagnostics; do
  mkdir -p "$T/dirs/$table"
done
for table in AppRequests InsightsMetrics Perf InferenceLogs AzureDiagnostics; do
  fires "$T/dirs" "alert_stale_$table" 1,2,3 "$table  "
done
quiet "$T/dirs" alert_gpu_temperature
quiet "$T/dirs" alert_no_success_by_deployment
