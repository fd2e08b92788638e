// pnpm bench:vs-victorialogs [--records N] [--rounds R] [--no-cluster] [--cluster-timeout S]
// [--profile DIR] — O2TS and VictoriaLogs side by side on the same machine: the same seeded k8s
// records sent as the same ES `_bulk` bodies (4 clients) to both, then ingest rate, RSS,
// storage, ack → searchable and the issue-16 queries (O2 SQL vs LogsQL, answers checked equal),
// in interleaved rounds; prints medians and O2TS ÷ VL per row as a markdown table, plus 8
// searchers under a second ingest. The same queries also run, interleaved, on an O2TS cluster
// (router, 2 ingesters, 2 queriers, compactor, alertmanager) holding the same records, against
// single node + one round trip. Then a PASS/FAIL checklist of issue 16's "Done when" lines and,
// with --profile, where the single node's CPU time went. A benchmark, not a test.
import { loadavg } from 'node:os';
import { makeTempDir } from '@o2/testing';
import { parseBenchArgs } from './vs-vl/bench-args.js';
import { healthzRtt, startBenchCluster } from './vs-vl/bench-cluster.js';
import { lastWholeHourEndMicros, makeBenchData, probeBody } from './vs-vl/bench-data.js';
import { prepareProfileDir, printProfiles, summariseProfiles } from './vs-vl/bench-profile.js';
import { countToken, QUERY_CASES, runQuery } from './vs-vl/bench-queries.js';
import type { TimeWindow } from './vs-vl/bench-queries.js';
import { printChecklist, printClusterTable, printTable, verdicts } from './vs-vl/bench-report.js';
import type { ClusterOutcome, Row } from './vs-vl/bench-report.js';
import { queryRounds } from './vs-vl/bench-rounds.js';
import {
  ingestAll,
  rssMiB,
  settledDirBytes,
  startO2,
  startVictoriaLogs,
  processCpuSeconds,
} from './vs-vl/bench-servers.js';
import type { BenchServer, SystemName } from './vs-vl/bench-servers.js';
import { percentile, SEARCHERS, searchesUnderIngest } from './vs-vl/under-ingest.js';
import type { UnderIngest } from './vs-vl/under-ingest.js';

const ARGS = parseBenchArgs(process.argv.slice(2));
const CLIENTS = 4;
const PROBES = 5;
/** The most one cluster step (ingest, flush, waiting for the records) may take. */
const STEP_LIMIT_MS = 600_000;

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: readonly number[]): number => percentile(values, 50);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

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

/** Polls count(*) until `server` finds every record (VL and a cluster make them searchable late). */
async function untilAllCounted(server: BenchServer, records: number, window: TimeWindow) {
  for (let tries = 0; ; tries++) {
    const n = Number((await runQuery(server, QUERY_CASES[0]!, window)).answer);
    if (n === records) return;
    if (tries > 600) throw new Error(`${server.name} counts ${n} of ${records} records`);
    await sleep(100);
  }
}

/** The cluster while it lasts: any failure ends its part with the reason, never the bench. */
class ClusterPart {
  server: BenchServer | undefined;
  reason = ARGS.cluster ? '' : 'not run (--no-cluster)';
  note = '';
  async run(what: string, work: (server: BenchServer) => Promise<void>): Promise<void> {
    if (this.server === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    // A router answering 503 for good (no ingester left) would otherwise be retried forever.
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`not done in ${STEP_LIMIT_MS / 1000} s`)),
        STEP_LIMIT_MS,
      );
    });
    try {
      await Promise.race([work(this.server), late]);
    } catch (error) {
      this.reason = `${what}: ${errorText(error)}`;
      console.log(`CLUSTER FAILED (${this.reason})`);
      await this.stop();
    } finally {
      clearTimeout(timer);
    }
  }
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server
      ?.stop()
      .catch((error: unknown) => console.log(`cluster stop: ${errorText(error)}`));
  }
}

async function main(): Promise<void> {
  console.log(`load average at start: ${load()}`);
  const endMicros = lastWholeHourEndMicros();
  const data = makeBenchData(ARGS.records, endMicros);
  const extra = makeBenchData(Math.max(1, Math.floor(ARGS.records / 4)), endMicros, 2);
  const window: TimeWindow = { startMicros: data.startMicros, endMicros: data.endMicros };
  const rawMiB = data.rawBytes / 1024 / 1024;
  const dir = await makeTempDir('bench-vs-vl');
  const profileSince = ARGS.profileDir === undefined ? 0 : await prepareProfileDir(ARGS.profileDir);
  const servers: BenchServer[] = [];
  const cluster = new ClusterPart();
  try {
    // First, so its start-up (three servers, seven processes) disturbs no measurement.
    if (ARGS.cluster) {
      const started = performance.now();
      const start = await startBenchCluster(ARGS.clusterTimeoutMs);
      if (start.ok) cluster.server = start.cluster.server;
      else cluster.reason = `did not start: ${start.reason}`;
      console.log(
        start.ok
          ? `cluster up in ${((performance.now() - started) / 1000).toFixed(1)} s: ${start.cluster.url}`
          : `CLUSTER FAILED to start; its rows are marked FAILED: ${start.reason}`,
      );
    }
    const o2 = await startO2(dir, ARGS.profileDir);
    servers.push(o2);
    const vl = await startVictoriaLogs(dir);
    servers.push(vl);
    const rows: Row[] = [];
    const both = async (f: (s: BenchServer) => Promise<number>) => ({
      o2: await f(o2),
      vl: await f(vl),
    });

    // Cores each server kept busy (its CPU-seconds over the wall time) while ingesting alone,
    // beside the same for the searchers alone and under ingest below: on two cores, what one
    // load can take is what the other loses.
    const ingestCores = { o2: NaN, vl: NaN };
    const ingestSeconds = await both(async (s) => {
      const cpu0 = processCpuSeconds(s.pid);
      const seconds = await ingestAll(s, data.bodies, CLIENTS);
      ingestCores[s.name === 'O2TS' ? 'o2' : 'vl'] = (processCpuSeconds(s.pid) - cpu0) / seconds;
      return seconds;
    });
    const peak = { o2: rssMiB(o2.pid, 'VmHWM'), vl: rssMiB(vl.pid, 'VmHWM') };
    console.log(`load average after ingest: ${load()}`);
    await cluster.run('ingest', async (s) => {
      const seconds = await ingestAll(s, data.bodies, CLIENTS);
      cluster.note = `cluster ingest ${(rawMiB / seconds).toFixed(1)} MB/s through the router`;
    });
    await both(async (s) => (await s.flush(), 0));
    await cluster.run('flush', (s) => s.flush());
    for (const server of servers) await untilAllCounted(server, data.records, window);
    await cluster.run('all records searchable', (s) => untilAllCounted(s, data.records, window));
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

    let rttMs = NaN;
    await cluster.run('round trip', async (s) => {
      rttMs = await healthzRtt(s.url);
      const singleRtt = await healthzRtt(o2.url);
      cluster.note = `one RTT = median GET /healthz through the router (single node's own: ${singleRtt.toFixed(1)} ms); ${cluster.note}`;
    });
    // Measured before the rounds, once each data directory has stopped changing: VictoriaLogs
    // writes its in-memory parts a few seconds late, O2TS's compactor merges and then purges.
    // The rounds then time both stores as they stay (the records' hour is closed, so O2TS has
    // merged it), not whichever round a background merge happened to overlap.
    // The quiet window outlasts the purge's margin (a merged-away input stays a minute after
    // its mark, services/compactor MARK_MARGIN_MS, then up to a compactor interval): with 10 s
    // the row read the merge's inputs beside its output (30.9 vs 13.6 MB for the same live files).
    const settle = async (s: BenchServer): Promise<number> => {
      const settled = await settledDirBytes(s.dataDir, 80_000, 300_000);
      console.log(
        `${s.name} storage ${settled.settled ? 'settled' : 'STILL CHANGING'} after ${(settled.waitedMs / 1000).toFixed(0)} s`,
      );
      return settled.bytes;
    };
    // Both watched at once: nothing else runs meanwhile, and each waits out its own quiet window.
    const [storedO2, storedVl] = await Promise.all([settle(o2), settle(vl)]);
    const stored = { o2: storedO2, vl: storedVl };
    const queried = cluster.server === undefined ? servers : [...servers, cluster.server];
    const rounds = await queryRounds(queried, ARGS.rounds, window);
    const failures: string[] = [...rounds.failures];
    const timesOf = (query: string, name: SystemName) => rounds.times.get(query)?.get(name) ?? [];
    const first = (query: string, name: SystemName) => (timesOf(query, name)[0] ?? NaN).toFixed(1);
    // Every round's time, so a median can be read against the runs it picked from.
    const runs = (query: string, name: SystemName) =>
      timesOf(query, name)
        .map((ms) => ms.toFixed(1))
        .join(' ');
    console.log('per-round ms, O2TS | VL:');
    for (const { name } of QUERY_CASES)
      console.log(`  ${name}: ${runs(name, 'O2TS')} | ${runs(name, 'VL')}`);
    for (const query of QUERY_CASES) {
      rows.push({
        metric: `${query.name} (ms)`,
        o2: median(timesOf(query.name, 'O2TS')),
        vl: median(timesOf(query.name, 'VL')),
        digits: 1,
        // Round 1 beside the median: a repeated query may be answered from kept per-file
        // partials or warm caches, so the first run is the cold figure.
        note: `round 1: ${first(query.name, 'O2TS')} vs ${first(query.name, 'VL')}`,
      });
    }
    const searchRows = rows.slice(-QUERY_CASES.length);
    // The cluster's part is over: its seven processes stop before the phases that measure load.
    const clusterMeasured = cluster.server !== undefined;
    await cluster.stop();
    const clusterOutcome: ClusterOutcome = clusterMeasured
      ? {
          measured: true,
          rttMs,
          note: cluster.note,
          rows: QUERY_CASES.map((q) => ({
            query: q.name,
            single: median(timesOf(q.name, 'O2TS')),
            // A query that failed in any round is a failed row, not a faster median.
            cluster: timesOf(q.name, 'cluster').some(Number.isNaN)
              ? NaN
              : median(timesOf(q.name, 'cluster')),
          })),
        }
      : { measured: false, reason: cluster.reason };
    const freshness: Row = {
      metric: 'ack → searchable (ms)',
      o2: median(acks['O2TS']!),
      vl: median(acks['VL']!),
      digits: 0,
    };
    rows.push(freshness);
    const storage: Row = {
      metric: 'storage / raw (%)',
      o2: (100 * stored.o2) / data.rawBytes,
      vl: (100 * stored.vl) / data.rawBytes,
      digits: 2,
    };
    rows.splice(2, 0, storage);
    // Idle RSS once both data directories have stopped changing: sampled while O2TS's niced
    // merge still ran, the same code read 883 or 1201 MiB depending on the merge's timing.
    const idle = { o2: rssMiB(o2.pid, 'VmRSS'), vl: rssMiB(vl.pid, 'VmRSS') };
    rows.splice(3, 0, { metric: 'idle RSS (MiB)', o2: idle.o2, vl: idle.vl, digits: 0 });
    // The high-water mark so far: the ingest's, settling's and the query rounds'. O2TS's
    // compactor merges the closed hour while settling (all of it decoded in its worker, up to
    // the merge bound) and indexes the merged file — a peak the row read as the ingest ends misses.
    rows.splice(2, 0, {
      metric: 'peak RSS through settling and queries (MiB)',
      o2: rssMiB(o2.pid, 'VmHWM'),
      vl: rssMiB(vl.pid, 'VmHWM'),
      digits: 0,
    });
    console.log(`load average after queries: ${load()}`);

    // The second ingest (a quarter more records) under 8 searchers, one system at a time.
    // A failure here (e.g. a server gone) is reported in the table, not lost with it.
    const underIngest = (s: BenchServer): Promise<UnderIngest> =>
      searchesUnderIngest(s, window, extra.bodies, CLIENTS, () => processCpuSeconds(s.pid)).catch(
        (error: unknown) => {
          failures.push(`${s.name} under ingest: ${String(error)}`);
          return {
            aloneP50: NaN,
            aloneP99: NaN,
            loadedP50: NaN,
            loadedP99: NaN,
            ingestMBs: NaN,
            searches: 0,
          };
        },
      );
    const o2u = await underIngest(o2);
    const vlu = await underIngest(vl);
    const kept = {
      o2: (100 * o2u.ingestMBs * ingestSeconds.o2) / rawMiB,
      vl: (100 * vlu.ingestMBs * ingestSeconds.vl) / rawMiB,
    };
    const underRow = (metric: string, o2v: number, vlv: number): Row => ({
      metric: `${SEARCHERS} searches ${metric} (ms)`,
      o2: o2v,
      vl: vlv,
      digits: 0,
    });
    rows.push(
      underRow('alone p50', o2u.aloneP50, vlu.aloneP50),
      underRow('alone p99', o2u.aloneP99, vlu.aloneP99),
      underRow('under ingest p50', o2u.loadedP50, vlu.loadedP50),
      underRow('under ingest p99', o2u.loadedP99, vlu.loadedP99),
      {
        metric: 'ingest MB/s under search (kept %)',
        o2: o2u.ingestMBs,
        vl: vlu.ingestMBs,
        digits: 1,
        note: `kept ${kept.o2.toFixed(0)} % / ${kept.vl.toFixed(0)} %`,
      },
      { metric: 'server cores busy, ingest alone', ...ingestCores, digits: 2 },
      {
        metric: `server cores busy, ${SEARCHERS} searches alone`,
        o2: o2u.coresAlone ?? NaN,
        vl: vlu.coresAlone ?? NaN,
        digits: 2,
      },
      {
        metric: 'server cores busy, searches under ingest',
        o2: o2u.coresLoaded ?? NaN,
        vl: vlu.coresLoaded ?? NaN,
        digits: 2,
      },
    );

    console.log(
      `\n${ARGS.records.toLocaleString('en')} records, ${rawMiB.toFixed(1)} MiB of _bulk bodies, ${ARGS.rounds} interleaved rounds (medians); load average now ${load()}\n`,
    );
    printTable(rows);
    printClusterTable(
      clusterOutcome,
      QUERY_CASES.map((q) => q.name),
    );
    const mismatches = rounds.mismatches;
    console.log(
      mismatches.length === 0
        ? '\nanswers equal on every query'
        : `\nANSWERS DIFFER:\n${mismatches.join('\n')}`,
    );
    printChecklist(
      verdicts({
        searchRows,
        ingest: rows[0]!,
        peakRss: rows[1]!,
        storage,
        freshness,
        o2UnderIngest: { ...o2u, keptPercent: kept.o2 },
        cluster: clusterOutcome,
        mismatches,
      }),
    );
    if (!clusterOutcome.measured) failures.push(`cluster: ${clusterOutcome.reason}`);
    if (failures.length > 0) console.log(`\nFAILED:\n${failures.join('\n')}`);
    if (mismatches.length > 0 || failures.length > 0) process.exitCode = 1;
  } finally {
    await cluster.stop();
    for (const server of servers)
      await server.stop().catch((error: unknown) => {
        console.log(`\nFAILED to stop ${server.name}: ${errorText(error)}`);
        process.exitCode = 1;
      });
    if (ARGS.profileDir !== undefined)
      printProfiles(await summariseProfiles(ARGS.profileDir, profileSince), ARGS.profileDir);
    await dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
