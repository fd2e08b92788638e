// pnpm bench:under-ingest [--records N] [--runs R] [--profile DIR] — only the "8 searchers under
// ingest" part of bench:vs-victorialogs, against O2TS alone: ingest N records (4 clients, the
// ingest rate alone), flush, then per run 8 searchers alone and looping while 4 clients ingest
// N/4 more records.
// Prints per run the search p50/p99 alone and loaded, the ingest rate kept, and the server's
// event-loop delay (its prom-client gauges, reset by each scrape) while loaded. `--profile DIR`
// runs the node under `--cpu-prof` and prints where each thread's time went.
import { makeTempDir } from '@o2/testing';
import { makeBenchData } from './vs-vl/bench-data.js';
import type { TimeWindow } from './vs-vl/bench-queries.js';
import { prepareProfileDir, printProfiles, summariseProfiles } from './vs-vl/bench-profile.js';
import { ingestAll, processCpuSeconds, startO2 } from './vs-vl/bench-servers.js';
import type { BenchServer } from './vs-vl/bench-servers.js';
import { searchesUnderIngest } from './vs-vl/under-ingest.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number`);
  return value;
}

const RECORDS = arg('records', 300_000);
const RUNS = arg('runs', 3);
const CLIENTS = 4;
const PROFILE_AT = process.argv.indexOf('--profile');
const PROFILE_DIR = PROFILE_AT < 0 ? undefined : process.argv[PROFILE_AT + 1];

/** The event-loop delay gauges (ms) since the previous scrape. */
async function loopDelay(server: BenchServer): Promise<{ mean: number; p99: number; max: number }> {
  let text = '';
  // A kept-alive socket the server closed meanwhile fails once; the next try opens a new one.
  for (let tries = 0; ; tries++) {
    try {
      text = await (await fetch(`${server.url}/metrics`)).text();
      break;
    } catch (error) {
      if (tries >= 3) throw error;
    }
  }
  const gauge = (name: string): number => {
    const match = new RegExp(`^zo_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text);
    return match === null ? NaN : Number(match[1]) * 1000;
  };
  return { mean: gauge('mean'), p99: gauge('p99'), max: gauge('max') };
}

const f = (n: number): string => n.toFixed(0);

async function main(): Promise<void> {
  const endMicros = (Math.floor(Date.now() / 60_000) - 2) * 60_000_000;
  const data = makeBenchData(RECORDS, endMicros);
  const window: TimeWindow = { startMicros: data.startMicros, endMicros: data.endMicros };
  const dir = await makeTempDir('bench-under-ingest');
  const since = PROFILE_DIR === undefined ? 0 : await prepareProfileDir(PROFILE_DIR);
  const server = await startO2(dir, PROFILE_DIR);
  try {
    await loopDelay(server);
    const cpuBefore = processCpuSeconds(server.pid);
    const seconds = await ingestAll(server, data.bodies, CLIENTS);
    const ingestCores = (processCpuSeconds(server.pid) - cpuBefore) / seconds;
    const aloneMBs = data.rawBytes / 1024 / 1024 / seconds;
    const ingestLoop = await loopDelay(server);
    console.log(
      `ingest alone ${aloneMBs.toFixed(1)} MB/s, server cores busy ${ingestCores.toFixed(2)}; ` +
        `loop delay mean ${f(ingestLoop.mean)} p99 ${f(ingestLoop.p99)} max ${f(ingestLoop.max)} ms`,
    );
    await server.flush();
    for (let run = 0; run < RUNS; run++) {
      const extra = makeBenchData(Math.max(1, Math.floor(RECORDS / 4)), endMicros, 2 + run);
      await loopDelay(server);
      const r = await searchesUnderIngest(server, window, extra.bodies, CLIENTS, () =>
        processCpuSeconds(server.pid),
      );
      const loop = await loopDelay(server);
      console.log(
        `run ${run + 1}: alone p50 ${f(r.aloneP50)} p99 ${f(r.aloneP99)} ms | loaded p50 ` +
          `${f(r.loadedP50)} p99 ${f(r.loadedP99)} ms (${r.searches} searches) | ingest ` +
          `${r.ingestMBs.toFixed(1)} MB/s (${((100 * r.ingestMBs) / aloneMBs).toFixed(0)} %) | ` +
          `loop delay mean ${f(loop.mean)} p99 ${f(loop.p99)} max ${f(loop.max)} ms | server ` +
          `${(r.cpuPerSearchAlone ?? NaN).toFixed(2)} CPU-s per search alone, cores busy ` +
          `${(r.coresAlone ?? NaN).toFixed(2)} alone / ${(r.coresLoaded ?? NaN).toFixed(2)} loaded`,
      );
    }
  } finally {
    await server.stop();
    await dir.remove();
  }
  if (PROFILE_DIR !== undefined)
    printProfiles(await summariseProfiles(PROFILE_DIR, since), PROFILE_DIR);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
