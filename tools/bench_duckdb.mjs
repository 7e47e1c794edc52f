// bench_duckdb.mjs FILE ROLES THREADS [NAMES] -- runs the benchmark queries in
// DuckDB (read_json over the same JSON lines) and prints "name seconds" lines,
// timed in-process, as the reference numbers are: the best of
// BENCH_RUNS (default 5).
// NAMES (comma-separated) runs only those queries, without the loaded table.
import { DuckDBInstance } from '@duckdb/node-api';
const [file, roles, threads, only] = process.argv.slice(2);
const wanted = only ? new Set(only.split(',')) : null;
const inst = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
const con = await inst.connect();
const src = `read_json('${file}', format='newline_delimited', columns={TimeGenerated:'TIMESTAMP', DurationMs:'DOUBLE', ResultCode:'VARCHAR', AppRoleName:'VARCHAR', Properties:'JSON'})`;
const queries = {
  count: `select count(*) from ${src}`,
  filter_count: `select count(*) from ${src} where ResultCode = '429'`,
  properties_filter: `select count(*) from ${src} where json_extract_string(Properties, '$.deployment') = 'gpt-4o'`,
  top10: `select * from ${src} order by DurationMs desc limit 10`,
  tokens_extend: `select sum(try_cast(json_extract_string(Properties, '$."tokens.total"') as bigint)) from ${src}`,
  seed1_p95_by_bucket: `select time_bucket(interval 15 minute, TimeGenerated) b, AppRoleName, count(*), avg(DurationMs), quantile_disc(DurationMs, 0.95), quantile_disc(DurationMs, 0.99) from ${src} where DurationMs > 2000 group by all`,
  seed6_percentiles: `select AppRoleName, quantile_disc(DurationMs, [0.5,0.75,0.9,0.95,0.99]), max(DurationMs), count(*) from ${src} group by all`,
  token_sum_by_deployment: `select json_extract_string(Properties, '$.deployment') d, AppRoleName, sum(try_cast(json_extract_string(Properties, '$."tokens.total"') as bigint)) t from ${src} group by all order by t desc`,
  p95_by_bin: `select time_bucket(interval 15 minute, TimeGenerated) b, AppRoleName, quantile_disc(DurationMs, 0.95) from ${src} group by all`,
  token_sum: `select json_extract_string(Properties, '$.deployment') d, sum(try_cast(json_extract_string(Properties, '$."tokens.total"') as bigint)) from ${src} group by all`,
  top10_filtered: `select TimeGenerated, AppRoleName, DurationMs, ResultCode from ${src} where DurationMs > 1000 order by DurationMs desc limit 10`,
  join_1m_1k: `select count(*) from ${src} a join read_json('${roles}', format='newline_delimited') r using (AppRoleName)`,
};
const runs = Number(process.env.BENCH_RUNS || 5); // the best of this many (a shared machine's noise)
for (const [name, sql] of Object.entries(queries)) {
  if (wanted && !wanted.has(name)) continue;
  let best = Infinity; // best of BENCH_RUNS, as aiq's runs are timed
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    await (await con.run(sql)).getRows();
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${name} ${(best / 1000).toFixed(3)}`);
}
// The REPL's cached re-query is compared with DuckDB's table loaded in
// memory (issue 16): the load, then count and p95 by bin over the table.
if (!wanted) {
  const t0 = performance.now();
  await (await con.run(`create table loaded as select * from ${src}`)).getRows();
  console.log(`loaded_load ${((performance.now() - t0) / 1000).toFixed(3)}`);
  const onTable = {
    loaded_count: 'select count(*) from loaded',
    loaded_p95_by_bin: 'select time_bucket(interval 15 minute, TimeGenerated) b, AppRoleName, quantile_disc(DurationMs, 0.95) from loaded group by all',
  };
  for (const [name, sql] of Object.entries(onTable)) {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const t1 = performance.now();
      await (await con.run(sql)).getRows();
      best = Math.min(best, performance.now() - t1);
    }
    console.log(`${name} ${(best / 1000).toFixed(3)}`);
  }
}
