// node e2e/dist/bench/cluster-stages.bench.js [--records N] [--runs R] [--only a,b] — where a cluster query's
// fixed cost goes (issue 16): starts the `pnpm cluster` topology (router, 2 ingesters, 2
// queriers), loads N k8s records, flushes, then runs each query R times through the router and
// prints, per query, the median client wall time and the median of every stage the leading
// querier timed (its `search` log line's `stages`) and the workers' (`scan` lines, debug). Stages
// overlap where they run concurrently (e.g. `remote` beside `own_share`). A benchmark, not a test.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { healthzRtt, startBenchCluster } from './vs-vl/bench-cluster.js';
import { makeBenchData } from './vs-vl/bench-data.js';
import { QUERY_CASES, runQuery } from './vs-vl/bench-queries.js';
import { ingestAll } from './vs-vl/bench-servers.js';

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : String(process.argv[at + 1]);
}

const RECORDS = Number(arg('records', '200000'));
const RUNS = Number(arg('runs', '30'));
/** `--only a,b`: just the queries whose names contain one of these. */
const ONLY = arg('only', '')
  .split(',')
  .filter((n) => n !== '');
const NAMES = new Set([
  'count(*)',
  'count by namespace',
  'histogram per minute',
  '`code = 200` count',
]);

const median = (v: readonly number[]): number =>
  v.length === 0 ? NaN : ([...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number);

interface LogLine {
  time: number;
  msg: string;
  stages?: Record<string, number>;
}

/** The JSON log lines of every node that carry stage times. */
function stageLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of output.split('\n')) {
    if (!text.includes('"stages"')) continue;
    try {
      const line = JSON.parse(text) as {
        time: string;
        msg: string;
        stages?: Record<string, number>;
        tookMs?: number;
      };
      const stages: Record<string, number> = {};
      // One `ask` per line whichever querier was the worker, so its median means something.
      for (const [name, ms] of Object.entries(line.stages ?? {}))
        if (name.startsWith('ask_')) stages['ask'] = Math.max(stages['ask'] ?? 0, ms);
        else stages[name] = ms;
      if (line.tookMs !== undefined) stages['worker_call'] = line.tookMs;
      lines.push({ time: Date.parse(line.time), msg: line.msg, stages });
    } catch {
      // not one of ours
    }
  }
  return lines;
}

/** Per stage, the median over `lines` (a stage a line lacks counts as 0 there). */
function stageMedians(lines: readonly LogLine[]): Array<[string, number]> {
  const names = new Set(lines.flatMap((l) => Object.keys(l.stages ?? {})));
  return [...names]
    .map((n): [string, number] => [n, median(lines.map((l) => l.stages?.[n] ?? 0))])
    .sort((a, b) => b[1] - a[1]);
}

process.env['BENCH_O2_LOG'] ??= 'debug';
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const endMicros = (Math.floor(Date.now() / 60_000) - 2) * 60_000_000;
const data = makeBenchData(RECORDS, endMicros);
const window = { startMicros: data.startMicros, endMicros: data.endMicros };
const start = await startBenchCluster(180_000);
if (!start.ok) throw new Error(start.reason);
const { server } = start.cluster;
try {
  await ingestAll(server, data.bodies, 4);
  await server.flush();
  for (let tries = 0; ; tries++) {
    const n = Number((await runQuery(server, QUERY_CASES[0]!, window)).answer);
    if (n === RECORDS) break;
    if (tries > 600) throw new Error(`counts ${n} of ${RECORDS}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`router /healthz rtt ${(await healthzRtt(server.url)).toFixed(2)} ms`);
  const spans: Array<{ name: string; from: number; to: number; ms: number[] }> = [];
  const picked = QUERY_CASES.filter(
    (q) => NAMES.has(q.name) && (ONLY.length === 0 || ONLY.some((n) => q.name.includes(n))),
  );
  for (const query of picked) {
    for (let i = 0; i < 3; i++) await runQuery(server, query, window); // warm-up
    const from = Date.now();
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) ms.push((await runQuery(server, query, window)).ms);
    spans.push({ name: query.name, from, to: Date.now() + 1, ms });
  }
  // Give the nodes' stdout a moment to reach us.
  await new Promise((r) => setTimeout(r, 500));
  const output = server.output();
  const dump = process.env['BENCH_DUMP'];
  if (dump !== undefined) writeFileSync(dump, output);
  const lines = stageLines(output);
  for (const span of spans) {
    const inSpan = lines.filter((l) => l.time >= span.from && l.time <= span.to);
    const searches = inSpan.filter((l) => l.msg === 'search');
    const scans = inSpan.filter((l) => l.msg === 'scan');
    const hops = inSpan.filter((l) => l.msg === 'forward' || l.msg === 'served');
    console.log(
      `\n${span.name}: client median ${median(span.ms).toFixed(1)} ms over ${span.ms.length}` +
        ` (leader lines ${searches.length}, worker lines ${scans.length})`,
    );
    for (const [stage, ms] of stageMedians(searches))
      console.log(`  leader ${stage.padEnd(24)} ${ms.toFixed(2)}`);
    for (const [stage, ms] of stageMedians(scans))
      console.log(`  worker ${stage.padEnd(24)} ${ms.toFixed(2)}`);
    // The router's call and the leader's whole gRPC handler: their difference is transport.
    for (const msg of ['forward', 'served'])
      for (const [stage, ms] of stageMedians(hops.filter((l) => l.msg === msg)))
        console.log(`  hop    ${stage.padEnd(24)} ${ms.toFixed(2)}`);
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await server.stop().catch((e: unknown) => console.log(String(e)));
}
