// node e2e/dist/bench/fixed-cost.bench.js [--records N] [--runs R] [--data DIR] [--fresh F]
// [--only NAME,...] [--profile DIR] — the fixed per-query cost of small searches on the single node
// (issue 16): loads N k8s records once into DIR (kept, so a rebuilt server can be measured on the
// same data), then times each query R times back to back over HTTP and prints the median, p90, the
// server's own `took` and the server's CPU time per query (all threads; steadier than wall time on
// a busy box). `--fresh F` first ingests F records inside the window and leaves them in the
// memtable (the vs-VL bench's freshness probes do the same), so aggregates also pay for the
// in-memory rows as they do there; `--only` keeps the queries whose names contain one of NAME;
// `--profile` runs the server under `--cpu-prof`, its profiles written to DIR on exit.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';
import {
  lastWholeHourEndMicros,
  makeBenchData,
  probeBody,
  RARE_TERM,
  STREAM,
} from './vs-vl/bench-data.js';
import { cpuProfileOptions } from './vs-vl/bench-profile.js';
import { benchO2Env } from './vs-vl/bench-servers.js';

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : String(process.argv[at + 1]);
}

const RECORDS = Number(arg('records', '300000'));
const RUNS = Number(arg('runs', '25'));
const DATA = arg('data', '/tmp/o2-fixed-cost');
const FRESH = Number(arg('fresh', '0'));
const ONLY = arg('only', '')
  .split(',')
  .filter((n) => n !== '');
const PROFILE = arg('profile', '');
const AUTH = basicAuth('root@example.com', 'Complexpass#123');
const FROM = `"${STREAM}"`;

const QUERIES: ReadonlyArray<{ name: string; sql: string; lastMinutes?: number }> = [
  { name: 'count(*)', sql: `SELECT count(*) AS n FROM ${FROM}` },
  { name: 'code = 200 count', sql: `SELECT count(*) AS n FROM ${FROM} WHERE code = 200` },
  {
    name: 'count by namespace',
    sql: `SELECT kubernetes_namespace_name AS k, count(*) AS n FROM ${FROM} GROUP BY k`,
  },
  {
    name: 'histogram per minute',
    sql: `SELECT histogram(_timestamp, '1 minute') AS k, count(*) AS n FROM ${FROM} GROUP BY k`,
  },
  // A rare term's cost is mostly the token index's row ranges and the reads they leave.
  {
    name: 'rare term count',
    sql: `SELECT count(*) AS n FROM ${FROM} WHERE match_all('${RARE_TERM}')`,
  },
  {
    name: 'rare term first 100',
    sql: `SELECT * FROM ${FROM} WHERE match_all('${RARE_TERM}') ORDER BY _timestamp DESC LIMIT 100`,
  },
  {
    name: 'newest 100, last 15 min',
    sql: `SELECT * FROM ${FROM} ORDER BY _timestamp DESC LIMIT 100`,
    lastMinutes: 15,
  },
];

/** CPU ms the server process has used (user + system, all threads), from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Waits (up to 60 s) until the server uses under 5 % of a core over half a second. */
async function settle(pid: number): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 500) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 500));
    if (cpuMs(pid) - before < 25) return;
  }
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

async function main(): Promise<void> {
  const marker = join(DATA, 'bench.json');
  const loaded = existsSync(marker);
  await mkdir(DATA, { recursive: true });
  const product = await startProductProcess(
    'standalone',
    {
      ZO_DATA_DIR: `${join(DATA, 'o2')}/`,
      ZO_ROOT_USER_EMAIL: 'root@example.com',
      ZO_ROOT_USER_PASSWORD: 'Complexpass#123',
      RUST_LOG: 'warn',
      ...benchO2Env(),
    },
    cpuProfileOptions(PROFILE === '' ? undefined : PROFILE),
  );
  try {
    await waitUntilHealthy(product, 60_000);
    const post = async (path: string, body: string | Buffer, type: string) => {
      const response = await fetch(`${product.url}${path}`, {
        method: path === '/node/flush' ? 'PUT' : 'POST',
        headers: { authorization: AUTH, 'content-type': type },
        ...(path === '/node/flush' ? {} : { body }),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text}`);
      return text;
    };
    let endMicros: number;
    if (loaded) {
      endMicros = (JSON.parse(await readFile(marker, 'utf8')) as { endMicros: number }).endMicros;
    } else {
      endMicros = lastWholeHourEndMicros();
      const data = makeBenchData(RECORDS, endMicros);
      for (const body of data.bodies)
        await post('/api/default/_bulk', body, 'application/x-ndjson');
      await post('/node/flush', '', 'text/plain');
      await writeFile(marker, JSON.stringify({ endMicros, records: RECORDS }));
    }
    // Stamped just inside the window; the next start replays them from the WAL.
    for (let i = 0; i < FRESH; i++)
      await post(
        '/api/default/_bulk',
        probeBody(`fresh${i}`, endMicros - 1 - i),
        'application/x-ndjson',
      );
    // The server's own work after a start (WAL replay, flushing, merging the small files each
    // start leaves) would land in the first queries' CPU figures: wait until it idles.
    await settle(product.child.pid ?? 0);
    const startMicros = endMicros - 3600 * 1_000_000;
    console.log(`| query | median ms | p90 ms | server took (median) | server CPU ms/query |`);
    console.log(`|---|---|---|---|---|`);
    for (const query of QUERIES) {
      if (ONLY.length > 0 && !ONLY.some((n) => query.name.includes(n))) continue;
      const body = JSON.stringify({
        query: {
          sql: query.sql,
          start_time:
            query.lastMinutes === undefined
              ? startMicros
              : endMicros - query.lastMinutes * 60_000_000,
          end_time: endMicros,
          from: 0,
          size: 10_000,
        },
      });
      const times: number[] = [];
      const took: number[] = [];
      let cpuStart = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        if (i === 3) cpuStart = cpuMs(product.child.pid ?? 0);
        const started = performance.now();
        const text = await post('/api/default/_search?type=logs', body, 'application/json');
        const parsed = JSON.parse(text) as { took: number; hits: unknown[] };
        if (i < 3) continue; // warm-up: footers, file cache, JIT
        times.push(performance.now() - started);
        took.push(parsed.took);
      }
      const cpu = (cpuMs(product.child.pid ?? 0) - cpuStart) / RUNS;
      const f = (n: number) => n.toFixed(1);
      console.log(
        `| ${query.name} | ${f(quantile(times, 0.5))} | ${f(quantile(times, 0.9))} | ${f(quantile(took, 0.5))} | ${f(cpu)} |`,
      );
    }
  } finally {
    await product.stop();
  }
}

await main();
