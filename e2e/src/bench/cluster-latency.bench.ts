// node e2e/dist/bench/cluster-latency.bench.js [records] [repeats]
// Times the bench's queries through a `pnpm cluster` topology and prints each querier's
// `search` profile lines: where a cluster query's time goes (issue 16's "one RTT" criterion).
import { startBenchCluster, healthzRtt } from './vs-vl/bench-cluster.js';
import { makeBenchData } from './vs-vl/bench-data.js';
import { QUERY_CASES, runQuery } from './vs-vl/bench-queries.js';
import { ingestAll } from './vs-vl/bench-servers.js';

const records = Number(process.argv[2] ?? 200_000);
const repeats = Number(process.argv[3] ?? 9);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;

const endMicros = Math.floor(Date.now() / 1000) * 1_000_000;
const data = makeBenchData(records, endMicros);
const window = { startMicros: data.startMicros, endMicros: data.endMicros };
const start = await startBenchCluster(180_000);
if (!start.ok) throw new Error(start.reason);
const { server } = start.cluster;
try {
  await ingestAll(server, data.bodies, 4);
  await server.flush();
  for (let tries = 0; ; tries++) {
    const n = Number((await runQuery(server, QUERY_CASES[0]!, window)).answer);
    if (n === records) break;
    if (tries > 600) throw new Error(`counts ${n} of ${records}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`rtt ${(await healthzRtt(server.url)).toFixed(1)} ms`);
  for (const query of QUERY_CASES) {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push((await runQuery(server, query, window)).ms);
    console.log(
      `${query.name.padEnd(32)} median ${median(times).toFixed(1)} ms  [${times.map((t) => t.toFixed(0)).join(' ')}]`,
    );
  }
} finally {
  const out = server.output();
  await server.stop().catch((e: unknown) => console.log(String(e)));
  if (process.env['BENCH_DUMP'] !== undefined) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.env['BENCH_DUMP'], out);
  }
}
