import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, victoriaLogsBinary } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../../product-process.js';
import type { ProductProcess } from '../../product-process.js';
import { cpuProfileOptions } from './bench-profile.js';

/** `cluster`: an O2TS cluster behind its router, answering the same SQL as the single node. */
export type SystemName = 'O2TS' | 'VL' | 'cluster';

/** One server under test, as the bench drives it. */
export interface BenchServer {
  name: SystemName;
  /** The HTTP API (a cluster's router). */
  url: string;
  pid: number;
  dataDir: string;
  /** Sends one ES `_bulk` body; resolves once it is acknowledged, throws on any failure. */
  bulk(body: Buffer): Promise<void>;
  /** Makes everything ingested durable in the server's own storage format. */
  flush(): Promise<void>;
  /** POSTs `form` / `json` to the query endpoint and returns the parsed answer. */
  post(path: string, body: string, contentType: string): Promise<string>;
  stop(): Promise<void>;
  /** What the server printed (for a profiling run with `BENCH_O2_LOG=info`). */
  output(): string;
}

const EMAIL = 'root@example.com';
const PASSWORD = 'Complexpass#123';
export const AUTH = basicAuth(EMAIL, PASSWORD);

async function check(response: Response, what: string): Promise<string> {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${what} answered ${response.status}: ${text}`);
  return text;
}

/**
 * Retries 429/503 (back-pressure), the way a shipper does, and a connection reset (a kept-alive
 * socket the server closed as it was reused) up to 3 times; the main ingest's count check would
 * notice a body stored twice.
 */
async function postWithBackoff(url: string, init: RequestInit): Promise<Response> {
  let resets = 0;
  for (;;) {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (++resets > 3) throw error;
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    if (response.status !== 429 && response.status !== 503) return response;
    await response.arrayBuffer();
    await new Promise((r) => setTimeout(r, 200));
  }
}

function bulkFailed(text: string): boolean {
  return (JSON.parse(text) as { errors?: boolean }).errors === true;
}

/**
 * The A/B knobs every bench passes to the O2TS it starts: `BENCH_O2_ENV='ZO_A=1 ZO_B=2'`
 * (settings for a run of one build) and `BENCH_O2_NODE_OPTIONS` (e.g. `--import` of a profiler
 * or a memory sampler).
 */
export function benchO2Env(): Record<string, string> {
  return {
    ...Object.fromEntries(
      (process.env['BENCH_O2_ENV'] ?? '')
        .split(/\s+/)
        .filter((kv) => kv.includes('='))
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
    ...(process.env['BENCH_O2_NODE_OPTIONS'] === undefined
      ? {}
      : { NODE_OPTIONS: process.env['BENCH_O2_NODE_OPTIONS'] }),
  };
}

/**
 * Starts the single node. With `profileDir`, Node writes a CPU profile there when the process
 * exits (it exits 0 on SIGTERM after its ordered shutdown, so `stop()` yields the profile).
 */
export async function startO2(dir: TempDir, profileDir?: string): Promise<BenchServer> {
  const dataDir = join(dir.path, 'o2');
  const product: ProductProcess = await startProductProcess(
    'standalone',
    {
      ZO_DATA_DIR: `${dataDir}/`,
      ZO_ROOT_USER_EMAIL: EMAIL,
      ZO_ROOT_USER_PASSWORD: PASSWORD,
      RUST_LOG: process.env['BENCH_O2_LOG'] ?? 'warn',
      ...benchO2Env(),
    },
    cpuProfileOptions(profileDir),
  );
  await waitUntilHealthy(product, 60_000);
  return o2Server('O2TS', product.url, product.child.pid ?? NaN, dataDir, {
    stop: async () => {
      const exit = await product.stop();
      if (exit !== 0) throw new Error(`O2TS exited with ${exit}:\n${product.output()}`);
    },
    output: () => product.output(),
  });
}

/** An O2TS API at `url` (a single node or a cluster's router) as the bench drives it. */
export function o2Server(
  name: SystemName,
  url: string,
  pid: number,
  dataDir: string,
  life: Pick<BenchServer, 'stop' | 'output'>,
): BenchServer {
  return {
    name,
    url,
    pid,
    dataDir,
    async bulk(body) {
      const response = await postWithBackoff(`${url}/api/default/_bulk`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/x-ndjson' },
        body,
      });
      const text = await check(response, `${name} _bulk`);
      if (bulkFailed(text))
        throw new Error(`${name} _bulk refused documents: ${text.slice(0, 500)}`);
    },
    async flush() {
      await check(
        await fetch(`${url}/node/flush`, { method: 'PUT', headers: { authorization: AUTH } }),
        `${name} flush`,
      );
    },
    async post(path, body, contentType) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': contentType },
        body,
      });
      return check(response, `${name} ${path}`);
    },
    ...life,
  };
}

/** VictoriaLogs' ES bulk parameters: `log`, else `message`, is the message; two stream fields. */
const VL_BULK_ARGS = new URLSearchParams({
  _msg_field: 'log,message',
  _time_field: '_timestamp',
  _stream_fields: 'kubernetes.namespace_name,kubernetes.container_name',
}).toString();

export async function startVictoriaLogs(dir: TempDir): Promise<BenchServer> {
  const binary = victoriaLogsBinary();
  const dataDir = join(dir.path, 'vl');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `-storageDataPath=${dataDir}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=30d',
      '-loggerLevel=WARN',
      // The searches-under-ingest phase runs 8 searchers; VL's default (4 at once, 10 s queue)
      // answered 503 to the slow `error` regex on 1 M records.
      '-search.maxConcurrentRequests=8',
      '-search.maxQueueDuration=60s',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`victoria-logs exited:\n${log}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`victoria-logs not healthy in 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: 'VL',
    url,
    pid: child.pid ?? NaN,
    dataDir,
    async bulk(body) {
      const response = await postWithBackoff(`${url}/insert/elasticsearch/_bulk?${VL_BULK_ARGS}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });
      const text = await check(response, 'VL _bulk');
      if (bulkFailed(text)) throw new Error(`VL _bulk refused documents: ${text.slice(0, 500)}`);
    },
    async flush() {
      await check(await fetch(`${url}/internal/force_flush`), 'VL force_flush');
    },
    async post(path, body, contentType) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
      return check(response, `VL ${path}`);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    output: () => log,
  };
}

/** MiB from /proc/<pid>/status: `VmHWM` (peak) or `VmRSS` (now). */
export function rssMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return match === null ? NaN : Number(match[1]) / 1024;
}

/** A process's CPU-seconds so far (user + system, its threads included) from /proc. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    // Listed, then removed before its stat (the compactor's purge, a merge's temporary file).
    const size = await stat(join(entry.parentPath, entry.name)).then(
      (s) => s.size,
      (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      },
    );
    total += size;
  }
  return total;
}

/**
 * `dirBytes` once the size has stopped moving: both systems merge (and O2TS purges merged-away
 * inputs) in the background, so one early reading says more about timing than about the format.
 * Samples every 2 s until `quietMs` pass without a change or `maxMs` is up.
 */
export async function settledDirBytes(
  dir: string,
  quietMs = 10_000,
  maxMs = 180_000,
): Promise<{ bytes: number; settled: boolean; waitedMs: number }> {
  const started = performance.now();
  let bytes = await dirBytes(dir);
  let unchangedSince = performance.now();
  while (performance.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = await dirBytes(dir);
    if (now !== bytes) {
      bytes = now;
      unchangedSince = performance.now();
    } else if (performance.now() - unchangedSince >= quietMs) {
      return { bytes, settled: true, waitedMs: performance.now() - started };
    }
  }
  return { bytes, settled: false, waitedMs: performance.now() - started };
}

/** Sends `bodies` with `clients` concurrent senders; returns the seconds it took. */
export async function ingestAll(
  server: BenchServer,
  bodies: readonly Buffer[],
  clients: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < bodies.length; i = next++) await server.bulk(bodies[i] as Buffer);
    }),
  );
  return (performance.now() - started) / 1000;
}
