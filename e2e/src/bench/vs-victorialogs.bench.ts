// pnpm bench:vs-victorialogs [--records N] [--rounds R] — O2TS and VictoriaLogs side by side on
// the same machine: the same seeded k8s records sent as the same ES `_bulk` bodies (4 clients)
// to both, then ingest rate, RSS, storage, ack → searchable and the issue-16 queries (O2 SQL vs
// LogsQL, answers checked equal), in interleaved rounds; prints medians and O2TS ÷ VL per row
// as a markdown table, plus 8 searchers under a second ingest. A benchmark, not a test.
import { loadavg } from 'node:os';
import { makeTempDir } from '@o2/testing';
import { makeBenchData, probeBody } from './vs-vl/bench-data.js';
import { countToken, QUERY_CASES, runQuery } from './vs-vl/bench-queries.js';
import type { TimeWindow } from './vs-vl/bench-queries.js';
import { dirBytes, ingestAll, rssMiB, startO2, startVictoriaLogs } from './vs-vl/bench-servers.js';
import type { BenchServer } from './vs-vl/bench-servers.js';
import { percentile, SEARCHERS, searchesUnderIngest } from './vs-vl/under-ingest.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number`);
  return value;
}

const RECORDS = arg('records', 1_000_000);
const ROUNDS = arg('rounds', 5);
const CLIENTS = 4;
const PROBES = 5;

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: readonly number[]): number => percentile(values, 50);

interface Row {
  metric: string;
  o2: number;
  vl: number;
  digits?: number;
  note?: string;
}

/** ms from acknowledging one record until a search finds it (polled every 5 ms). */
async function ackToSearchable(server: BenchServer, token: string): Promise<number> {
  const now = Date.now() * 1000;
  const window: TimeWindow = { startMicros: now - 60_000_000, endMicros: now + 60_000_000 };
  await server.bulk(probeBody(token, now));
  const acked = performance.now();
  while ((await countToken(server, token, window)) < 1) {
    if (performance.now() - acked > 30_000) throw new Error(`${server.name}: ${token} not found`);
    await sleep(5);
  }
  return performance.now() - acked;
}

async function main(): Promise<void> {
  console.log(`load average at start: ${load()}`);
  const endMicros = (Math.floor(Date.now() / 60_000) - 2) * 60_000_000;
  const data = makeBenchData(RECORDS, endMicros);
  const extra = makeBenchData(Math.max(1, Math.floor(RECORDS / 4)), endMicros, 2);
  const window: TimeWindow = { startMicros: data.startMicros, endMicros: data.endMicros };
  const rawMiB = data.rawBytes / 1024 / 1024;
  const dir = await makeTempDir('bench-vs-vl');
  const servers: BenchServer[] = [];
  try {
    const o2 = await startO2(dir);
    servers.push(o2);
    const vl = await startVictoriaLogs(dir);
    servers.push(vl);
    const rows: Row[] = [];
    const both = async (f: (s: BenchServer) => Promise<number>) => ({
      o2: await f(o2),
      vl: await f(vl),
    });

    const ingestSeconds = await both((s) => ingestAll(s, data.bodies, CLIENTS));
    const peak = { o2: rssMiB(o2.pid, 'VmHWM'), vl: rssMiB(vl.pid, 'VmHWM') };
    console.log(`load average after ingest: ${load()}`);
    await both(async (s) => (await s.flush(), 0));
    // VictoriaLogs makes rows searchable about a second after the ack; wait for all of them.
    const countAll = QUERY_CASES[0]!;
    for (const server of servers) {
      for (let tries = 0; ; tries++) {
        const n = Number((await runQuery(server, countAll, window)).answer);
        if (n === data.records) break;
        if (tries > 600) throw new Error(`${server.name} counts ${n} of ${data.records} records`);
        await sleep(100);
      }
    }
    rows.push(
      {
        metric: `ingest MB/s (${CLIENTS} clients)`,
        o2: rawMiB / ingestSeconds.o2,
        vl: rawMiB / ingestSeconds.vl,
        digits: 1,
      },
      { metric: 'peak RSS while ingesting (MiB)', o2: peak.o2, vl: peak.vl, digits: 0 },
    );

    const acks: Record<string, number[]> = { O2TS: [], VL: [] };
    for (let i = 0; i < PROBES; i++) {
      for (const server of i % 2 === 0 ? servers : [...servers].reverse())
        acks[server.name]!.push(await ackToSearchable(server, `ackprobe${i}x${server.name}`));
    }

    await sleep(5000);
    const idle = { o2: rssMiB(o2.pid, 'VmRSS'), vl: rssMiB(vl.pid, 'VmRSS') };
    rows.push({ metric: 'idle RSS (MiB)', o2: idle.o2, vl: idle.vl, digits: 0 });

    const times = new Map<string, { O2TS: number[]; VL: number[] }>();
    const mismatches: string[] = [];
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const query of QUERY_CASES) {
        const answers: Record<string, string> = {};
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const server of order) {
          const result = await runQuery(server, query, window);
          answers[server.name] = result.answer;
          const entry = times.get(query.name) ?? { O2TS: [], VL: [] };
          entry[server.name].push(result.ms);
          times.set(query.name, entry);
        }
        if (answers['O2TS'] !== answers['VL'] && round === 0)
          mismatches.push(
            `${query.name}: O2TS ${answers['O2TS']?.slice(0, 300)} | VL ${answers['VL']?.slice(0, 300)}`,
          );
      }
    }
    for (const query of QUERY_CASES) {
      const t = times.get(query.name)!;
      rows.push({ metric: `${query.name} (ms)`, o2: median(t.O2TS), vl: median(t.VL), digits: 1 });
    }
    rows.push({
      metric: 'ack → searchable (ms)',
      o2: median(acks['O2TS']!),
      vl: median(acks['VL']!),
      digits: 0,
    });
    // Measured after the rounds: VictoriaLogs writes its in-memory parts a few seconds late.
    const stored = await both((s) => dirBytes(s.dataDir));
    rows.splice(2, 0, {
      metric: 'storage / raw (%)',
      o2: (100 * stored.o2) / data.rawBytes,
      vl: (100 * stored.vl) / data.rawBytes,
      digits: 2,
    });
    console.log(`load average after queries: ${load()}`);

    // The second ingest (a quarter more records) under 8 searchers, one system at a time.
    // A failure here (e.g. a server gone) is reported in the table, not lost with it.
    const underIngest = (s: BenchServer) =>
      searchesUnderIngest(s, window, extra.bodies, CLIENTS).catch((error: unknown) => {
        failures.push(`${s.name} under ingest: ${String(error)}`);
        return {
          aloneP50: NaN,
          aloneP99: NaN,
          loadedP50: NaN,
          loadedP99: NaN,
          ingestMBs: NaN,
          searches: 0,
        };
      });
    const o2u = await underIngest(o2);
    const vlu = await underIngest(vl);
    rows.push(
      {
        metric: `${SEARCHERS} searches alone p50 (ms)`,
        o2: o2u.aloneP50,
        vl: vlu.aloneP50,
        digits: 0,
      },
      {
        metric: `${SEARCHERS} searches alone p99 (ms)`,
        o2: o2u.aloneP99,
        vl: vlu.aloneP99,
        digits: 0,
      },
      {
        metric: `${SEARCHERS} searches under ingest p50 (ms)`,
        o2: o2u.loadedP50,
        vl: vlu.loadedP50,
        digits: 0,
      },
      {
        metric: `${SEARCHERS} searches under ingest p99 (ms)`,
        o2: o2u.loadedP99,
        vl: vlu.loadedP99,
        digits: 0,
      },
      {
        metric: 'ingest MB/s under search (kept %)',
        o2: o2u.ingestMBs,
        vl: vlu.ingestMBs,
        digits: 1,
        note: `kept ${((100 * o2u.ingestMBs * ingestSeconds.o2) / rawMiB).toFixed(0)} % / ${((100 * vlu.ingestMBs * ingestSeconds.vl) / rawMiB).toFixed(0)} %`,
      },
    );

    console.log(
      `\n${RECORDS.toLocaleString('en')} records, ${rawMiB.toFixed(1)} MiB of _bulk bodies, ${ROUNDS} interleaved rounds (medians); load average now ${load()}\n`,
    );
    console.log('| metric | O2TS | VictoriaLogs 1.52.2 | O2TS ÷ VL |');
    console.log('|---|---:|---:|---:|');
    for (const row of rows) {
      const d = row.digits ?? 1;
      const ratio = row.o2 / row.vl;
      console.log(
        `| ${row.metric} | ${row.o2.toFixed(d)} | ${row.vl.toFixed(d)} | ${ratio.toFixed(2)}${row.note === undefined ? '' : ` (${row.note})`} |`,
      );
    }
    console.log(
      mismatches.length === 0
        ? '\nanswers equal on every query'
        : `\nANSWERS DIFFER:\n${mismatches.join('\n')}`,
    );
    if (failures.length > 0) console.log(`\nFAILED:\n${failures.join('\n')}`);
    if (mismatches.length > 0 || failures.length > 0) process.exitCode = 1;
  } finally {
    for (const server of servers) await server.stop();
    await dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
