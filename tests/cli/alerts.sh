# The saved alerts as cron runs them (--fail-on-rows, exit 3 = page someone).
# Sustained alerts fire on the entity the bundled sample holds over the whole window,
# not on the one with a single spike in it (the spike is checked to be there); on
# tests/data/alerts/quiet, whose entities each miss by one thing (a gap in the samples,
# a start inside the window, a value exactly at the threshold, a spike), nothing fires,
# and moving the window or the threshold past that one thing makes exactly them fire.
# Freshness alerts fire on a stale and on an empty table (with a declared schema: see
# alerts_empty.sh for one without), not on a table whose newest row is exactly at the limit.
# The fixtures come from tools/gen_testdata.py.
. tests/cli/alerts_lib.sh

# 1. The bundled sample: each sustained alert fires on its sustained entity only.
fires testdata alert_gpu_temperature 1,2 "gpu-node-02 1"
[ "$(peak testdata 'InsightsMetrics | where TimeGenerated >= ago(5m) and Name == "DCGM_FI_DEV_GPU_TEMP"
  and Computer == "gpu-node-01" and tostring(Tags.gpu) == "1" | summarize max(Val)')" = 91 ] ||
  die "the 91 degC spike on gpu-node-01/1 is not in the window: $(cat "$T/peak")"
fires testdata alert_gpu_utilization 1,2 "gpu-node-01 0"
[ "$(peak testdata 'InsightsMetrics | where TimeGenerated >= ago(30m) and Name == "DCGM_FI_DEV_GPU_UTIL"
  and Computer == "gpu-node-02" and tostring(Tags.gpu) == "0" | summarize max(Val)')" = 99 ] ||
  die "the 99 % spike on gpu-node-02/0 is not in the window: $(cat "$T/peak")"
fires testdata alert_vllm_queue 1,2 "gpu-node-02 vllm-llama-1"
[ "$(peak testdata 'InsightsMetrics | where TimeGenerated >= ago(5m) and Name == "vllm:num_requests_waiting"
  and Tags.pod == "vllm-llama-0" | summarize max(Val)')" = 75 ] ||
  die "the queue spike on vllm-llama-0 is not in the window: $(cat "$T/peak")"
fires testdata alert_latency_slo 1 "llama-3-70b"
[ "$(peak testdata 'InsightsMetrics | where TimeGenerated >= ago(15m) and Name == "vllm:e2e_request_latency_seconds"
  and Tags.modelName == "qwen2.5-72b" | summarize p = percentile(Val, 95) by bin_at(TimeGenerated, 5m, now())
  | summarize countif(p > 10)')" = 1 ] || die "qwen2.5-72b has no single slow 5-minute bin: $(cat "$T/peak")"
fires testdata alert_throttling 1 "gpt-4o-mini"
[ "$(peak testdata 'AppRequests | where TimeGenerated >= ago(10m) and Properties.deployment == "gpt-35-turbo"
  | summarize r = 100.0 * countif(ResultCode == "429") / count() by bin_at(TimeGenerated, 1m, now())
  | summarize countif(r > 5)')" = 1 ] || die "gpt-35-turbo has no single throttled minute: $(cat "$T/peak")"
fires testdata alert_no_success_by_deployment 1 "text-embedding-3-large"
fires testdata alert_stale_Perf 1,2,3 "Perf 2026-11-21T11:10:00Z 00:50:00"
for table in AppRequests InsightsMetrics InferenceLogs AzureDiagnostics; do
  quiet testdata "alert_stale_$table"
done

# 2. Near misses: nothing fires ...
for q in queries/alert_*.kql; do
  quiet "$FX/quiet" "$(basename "$q" .kql)"
done
# ... and each near miss is one step from firing: a threshold below the value that sits
# exactly on it, or a window that ends before the gap or starts after the late start.
fires "$FX/quiet" alert_gpu_temperature 1,2 "gpu-node-12 0" --param ThresholdC=79.9
fires "$FX/quiet" alert_gpu_temperature 1,2 "gpu-node-11 0|gpu-node-11 1" --param Window=2m
fires "$FX/quiet" alert_gpu_utilization 1,2 "gpu-node-12 0" --param ThresholdPercent=89.9
fires "$FX/quiet" alert_gpu_utilization 1,2 "gpu-node-11 0|gpu-node-11 1|gpu-node-12 0" --param Window=2m
fires "$FX/quiet" alert_vllm_queue 2 "vllm-edge-0" --param ThresholdWaiting=49.9
fires "$FX/quiet" alert_vllm_queue 2 "vllm-gap-0|vllm-late-0" --param Window=2m
fires "$FX/quiet" alert_latency_slo 1 "model-edge" --param SloSeconds=9.99
fires "$FX/quiet" alert_latency_slo 1 "model-edge|model-gap|model-late|model-spike" --param Window=5m
fires "$FX/quiet" alert_throttling 1 "dep-edge" --param ThresholdPercent=4.9
fires "$FX/quiet" alert_throttling 1 "dep-edge|dep-gap|dep-late" --param Window=5m
fires "$FX/quiet" alert_no_success_by_deployment 1 "dep-edge-success|dep-one-success" --param Window=13m
fires "$FX/quiet" alert_stale_Perf 1 "Perf" --param MaxAge=29m

# 3. Silence: every freshness alert fires on a table whose newest row is just too old;
#    the no-success alert reads the silence of each deployment; sustained alerts stay quiet.
fires "$FX/stale" alert_stale_AppRequests 1,2,3 "AppRequests 2026-11-21T11:44:59Z 00:15:01"
fires "$FX/stale" alert_stale_InsightsMetrics 1,2,3 "InsightsMetrics 2026-11-21T11:49:12Z 00:10:48"
fires "$FX/stale" alert_stale_Perf 1,2,3 "Perf 2026-11-21T10:00:00Z 02:00:00"
fires "$FX/stale" alert_stale_InferenceLogs 1,2,3 "InferenceLogs 2026-11-21T11:44:59Z 00:15:01"
fires "$FX/stale" alert_stale_AzureDiagnostics 1,2,3 "AzureDiagnostics 2026-11-21T09:59:59Z 02:00:01"
fires "$FX/stale" alert_no_success_by_deployment 1,2 "gpt-4o 0|gpt-4o-mini 0"
quiet "$FX/stale" alert_gpu_temperature

# 4. Empty tables (a log just rotated): one row with no newest time; nothing else fires.
for table in AppRequests InsightsMetrics Perf InferenceLogs AzureDiagnostics; do
  fires "$FX/empty" "alert_stale_$table" 1,2,3 "$table  " --schema testdata/schema.kql
done
for name in alert_gpu_temperature alert_gpu_utilization alert_vllm_queue alert_latency_slo alert_throttling \
  alert_no_success_by_deployment; do
  quiet "$FX/empty" "$name" --schema testdata/schema.kql
done
exit 0
