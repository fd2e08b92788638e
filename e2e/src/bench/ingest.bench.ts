// pnpm bench:ingest — posts k8slog-shaped records (981 from generateK8sLogs, repeated and varied
// to ≥ BENCH_MB, default 200 MB) to a real single node with several concurrent clients and
// prints records/s, MB/s of request body, time until everything is in Parquet, stored bytes /
// raw bytes and the server's peak RSS.
// `--function '<VRL>'` saves the program as a function and a realtime pipeline bench → function →
// bench before the run, so the same records go through the pipeline (compare with and without).
// `--bulk` sends the vs-VictoriaLogs bench's seeded k8s records as ES `_bulk` bodies instead.
// `--profile DIR` writes the server's CPU profiles there and prints where its time went.
// `BENCH_O2_ENV` / `BENCH_O2_NODE_OPTIONS` as for the vs-VictoriaLogs bench (`benchO2Env`).
// The server's CPU seconds per 100 MB (whole process and its event-loop thread alone) are CPU
// time, so they compare between runs on a busy machine where MB/s does not.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { generateK8sLogs, makeTempDir } from '@o2/testing';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';
import { lastWholeHourEndMicros, makeBenchData, STREAM } from './vs-vl/bench-data.js';
import { benchO2Env } from './vs-vl/bench-servers.js';
import {
  cpuProfileOptions,
  prepareProfileDir,
  printProfiles,
  summariseProfiles,
} from './vs-vl/bench-profile.js';

const TARGET_MB = Number(process.env['BENCH_MB'] ?? 200);
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 4);
const RECORDS_PER_REQUEST = Number(process.env['BENCH_BATCH'] ?? 2000);
const AUTH = basicAuth('root@example.com', 'Complexpass#123');

const sample = generateK8sLogs();

/** The value of `--name <value>` (or `--name=<value>`), if given. */
function flagValue(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === name) return args[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

const BULK = process.argv.includes('--bulk');

/** CPU seconds (user + system) of process `pid`, or of its thread `tid` alone. */
function cpuSeconds(pid: number, tid?: number): number {
  const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  // Fields after the `(comm)`: utime and stime are the 12th and 13th, in clock ticks (100/s).
  const fields = (readFileSync(path, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Saves `source` as function `bench_fn` and a realtime pipeline bench → bench_fn → bench. */
async function installPipeline(url: string, source: string): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}/api/default${path}`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 200)
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  };
  await post('/functions', { name: 'bench_fn', function: source, params: 'row', transType: 0 });
  const stream = {
    node_type: 'stream',
    org_id: 'default',
    stream_name: 'bench',
    stream_type: 'logs',
  };
  const at = { position: { x: 0, y: 0 }, io_type: 'default' };
  await post('/pipelines', {
    name: 'bench_pipeline',
    nodes: [
      { id: 'src', data: stream, ...at },
      { id: 'fn', data: { node_type: 'function', name: 'bench_fn', after_flatten: false }, ...at },
      { id: 'dst', data: stream, ...at },
    ],
    edges: [
      { id: 'esrc-fn', source: 'src', target: 'fn' },
      { id: 'efn-dst', source: 'fn', target: 'dst' },
    ],
  });
}

/** One request body: sample records with varied values so columns don't compress trivially. */
function makeBody(batch: number): Buffer {
  const records: Array<Record<string, unknown>> = [];
  for (let i = 0; i < RECORDS_PER_REQUEST; i++) {
    const seq = batch * RECORDS_PER_REQUEST + i;
    const base = sample[seq % sample.length] as Record<string, unknown>;
    const log = typeof base['log'] === 'string' ? base['log'] : '';
    records.push({
      ...base,
      bench_seq: seq,
      'kubernetes.pod_name': `${typeof base['kubernetes.pod_name'] === 'string' ? base['kubernetes.pod_name'] : 'pod'}-${seq % 997}`,
      'kubernetes.docker_id': randomBytes(32).toString('hex'),
      log: `${log} req=${randomBytes(8).toString('hex')} took=${seq % 1000}ms`,
    });
  }
  return Buffer.from(JSON.stringify(records));
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  try {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
    }
  } catch {
    // nothing stored
  }
  return total;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match === null ? NaN : Number(match[1]) / 1024;
}

async function main(): Promise<void> {
  const dir = await makeTempDir('bench-ingest');
  const profileDir = flagValue('--profile');
  const profileSince = profileDir === undefined ? 0 : await prepareProfileDir(profileDir);
  const product = await startProductProcess(
    'standalone',
    {
      ZO_DATA_DIR: `${dir.path}/`,
      ZO_ROOT_USER_EMAIL: 'root@example.com',
      ZO_ROOT_USER_PASSWORD: 'Complexpass#123',
      RUST_LOG: 'warn',
      ...benchO2Env(),
    },
    cpuProfileOptions(profileDir),
  );
  const pid = product.child.pid ?? NaN;
  try {
    await waitUntilHealthy(product, 60_000);
    const vrl = flagValue('--function');
    if (vrl !== undefined) await installPipeline(product.url, vrl);
    // Bodies are made up front so the clients measure the server, not the generator.
    const bodies: Buffer[] = [];
    let raw = 0;
    if (BULK) {
      // ~1.6 KB per k8s record as `_bulk` (action line included).
      const records = Math.ceil((TARGET_MB * 1024 * 1024) / 1600);
      // The vs-VictoriaLogs bench's window (the last whole hour), so the compactor merges while
      // the ingest runs, as it does there and at every hour boundary.
      const data = makeBenchData(records, lastWholeHourEndMicros());
      bodies.push(...data.bodies);
      raw = data.rawBytes;
    }
    for (let batch = 0; raw < TARGET_MB * 1024 * 1024; batch++) {
      const body = makeBody(batch);
      bodies.push(body);
      raw += body.byteLength;
    }
    const cpuBefore = { all: cpuSeconds(pid), main: cpuSeconds(pid, pid) };
    let nextBody = 0;
    let records = 0;
    let resets = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = nextBody++; i < bodies.length; i = nextBody++) {
          for (;;) {
            let response: Response;
            try {
              response = await fetch(
                `${product.url}/api/default/${BULK ? '_bulk' : 'bench/_json'}`,
                {
                  method: 'POST',
                  headers: { authorization: AUTH },
                  body: bodies[i],
                },
              );
            } catch (error) {
              // A reused keep-alive socket the server closed as idle (a race that long event-loop
              // turns on a loaded machine make likely): counted and sent again.
              if (++resets > 20) throw error;
              continue;
            }
            if (response.status === 503 || response.status === 429) {
              await new Promise((r) =>
                setTimeout(r, 1000 * Number(response.headers.get('retry-after') ?? 1)),
              );
              continue;
            }
            const result = (await response.json()) as {
              status?: Array<{ successful: number; failed: number }>;
              errors?: boolean;
              items?: unknown[];
            };
            if (response.status !== 200 || result.errors === true)
              throw new Error(`ingest answered ${response.status}: ${JSON.stringify(result)}`);
            records += result.items?.length ?? result.status?.[0]?.successful ?? 0;
            break;
          }
        }
      }),
    );
    const ingestSeconds = (performance.now() - started) / 1000;
    const cpu = {
      all: cpuSeconds(pid) - cpuBefore.all,
      main: cpuSeconds(pid, pid) - cpuBefore.main,
    };
    const flush = await fetch(`${product.url}/node/flush`, {
      method: 'PUT',
      headers: { authorization: AUTH },
    });
    if (flush.status !== 200) throw new Error(`flush answered ${flush.status}`);
    const allInParquetSeconds = (performance.now() - started) / 1000;
    const stored = await dirBytes(
      `${dir.path}/stream/files/default/logs/${BULK ? STREAM : 'bench'}`,
    );
    const rss = Number.isNaN(pid) ? NaN : peakRssMb(pid);
    const mb = raw / 1024 / 1024;
    console.log(
      `ingest bench: ${records} records, ${mb.toFixed(1)} MB raw JSON (${BULK ? '_bulk' : '_json'}), ${CLIENTS} clients, ${BULK ? 2000 : RECORDS_PER_REQUEST} records/request`,
    );
    if (vrl !== undefined) console.log(`  pipeline function      ${JSON.stringify(vrl)}`);
    console.log(`  records/s              ${(records / ingestSeconds).toFixed(0)}`);
    if (resets > 0) console.log(`  connection resets      ${resets} (requests sent again)`);
    console.log(`  MB/s (request body)    ${(mb / ingestSeconds).toFixed(1)}`);
    console.log(`  all acked in           ${ingestSeconds.toFixed(2)} s`);
    console.log(
      `  server CPU per 100 MB  ${((100 * cpu.all) / mb).toFixed(2)} s, of it the event loop's thread ${((100 * cpu.main) / mb).toFixed(2)} s`,
    );
    console.log(`  all in Parquet after   ${allInParquetSeconds.toFixed(2)} s`);
    console.log(
      `  stored / raw bytes     ${(stored / raw).toFixed(3)} (${(stored / 1024 / 1024).toFixed(1)} MB stored)`,
    );
    console.log(`  server peak RSS        ${rss.toFixed(0)} MB`);
  } catch (error) {
    const { exitCode, signalCode } = product.child;
    console.error(
      `server exit ${String(exitCode)} ${String(signalCode)}; output (tail):\n${product.output().slice(-3000)}`,
    );
    throw error;
  } finally {
    await product.stop();
    await dir.remove();
    // The server writes its profile as it exits (SIGTERM → ordered shutdown → exit 0).
    if (profileDir !== undefined)
      printProfiles(await summariseProfiles(profileDir, profileSince), profileDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
