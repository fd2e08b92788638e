import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { RunGate } from '../run-gate.js';

/*
 * What 8 searchers' statements do to the rest of the process, with and without the RunGate:
 * while 8 loops run a scan on a 2-thread DuckDB, the event loop does 5 ms slices of busy
 * JavaScript (ingest's parse and column building) and a WAL-like 64 KB write + fdatasync every
 * 20 ms (it needs a libuv pool thread, as DuckDB's statements do). Alternating rounds. Usage:
 *   node packages/search/dist/bench/run-gate.bench.js [--seconds 8 --rounds 2 --limit 2]
 */
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const SECONDS = arg('--seconds', 8);
const ROUNDS = arg('--rounds', 2);
const LIMIT = arg('--limit', 2);
const SEARCHERS = 8;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function round(instance: DuckDBInstance, gate: RunGate | undefined, dir: string) {
  const conns = await Promise.all(Array.from({ length: SEARCHERS }, () => instance.connect()));
  const sql = "SELECT count(*) FROM t WHERE lower(s) LIKE '%needle%'";
  const until = performance.now() + SECONDS * 1000;
  const statementMs: number[] = [];
  const searchers = conns.map(async (conn) => {
    while (performance.now() < until) {
      const t = performance.now();
      if (gate === undefined) await conn.run(sql);
      else await gate.run(() => conn.run(sql));
      statementMs.push(performance.now() - t);
    }
  });
  // Ingest stand-in: 5 ms slices of event-loop work, yielding between them.
  let slices = 0;
  const ingest = (async () => {
    while (performance.now() < until) {
      const end = performance.now() + 5;
      while (performance.now() < end);
      slices++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const walMs: number[] = [];
  const file = await open(join(dir, `wal-${Math.random()}`), 'w');
  const wal = (async () => {
    const chunk = Buffer.alloc(64 * 1024, 1);
    while (performance.now() < until) {
      const t = performance.now();
      await file.write(chunk);
      await file.datasync();
      walMs.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const cpu0 = process.cpuUsage();
  await Promise.all([...searchers, ingest, wal]);
  const cpu = process.cpuUsage(cpu0);
  await file.close();
  for (const c of conns) c.closeSync();
  return {
    statements: statementMs.length,
    p50: pct(statementMs, 50),
    p99: pct(statementMs, 99),
    loopCpuShare: (slices * 5) / (SECONDS * 1000),
    walP50: pct(walMs, 50),
    walP99: pct(walMs, 99),
    cpuS: (cpu.user + cpu.system) / 1e6,
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'o2ts-gate-bench-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  try {
    const setup = await instance.connect();
    await setup.run(
      "CREATE TABLE t AS SELECT 'pod ' || i || ' said something about request ' || (i * 7919) % 100003 AS s FROM range(1500000) r(i)",
    );
    setup.closeSync();
    for (let r = 0; r < ROUNDS; r++) {
      for (const gated of [false, true]) {
        const x = await round(instance, gated ? new RunGate(LIMIT) : undefined, dir);
        console.log(
          `${gated ? `gate ${LIMIT}` : 'no gate'}: ${x.statements} statements, p50 ${x.p50.toFixed(0)} ` +
            `p99 ${x.p99.toFixed(0)} ms | event-loop work ${(100 * x.loopCpuShare).toFixed(0)} % ` +
            `of wall | WAL write+sync p50 ${x.walP50.toFixed(1)} p99 ${x.walP99.toFixed(1)} ms | ` +
            `process ${x.cpuS.toFixed(1)} CPU-s | load ${(await loadavg()).toFixed(1)}`,
        );
      }
    }
  } finally {
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

async function loadavg(): Promise<number> {
  const { loadavg: load } = await import('node:os');
  return load()[0] ?? NaN;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
