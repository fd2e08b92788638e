import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { S3ObjectStore } from '@o2/storage';

/** Records per request: small enough that a request is quick, large enough to carry load. */
const BATCH = 25;
/** Ids of client `c` are `c * ID_SPACE + n`, so every record of a run is unique. */
const ID_SPACE = 1_000_000_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** When the server gives no Retry-After, wait this long before resending. */
const DEFAULT_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;

export interface LoadTally {
  /** Ids in a request answered 200 with every record successful. */
  acked: Set<number>;
  /**
   * Ids in a request whose outcome is unknown (connection cut, timeout, 5xx): the records may
   * have been stored, so they may appear at most once. They are never resent: the next try
   * carries fresh ids, which keeps "acked exactly once" meaningful without idempotency keys.
   */
  maybe: Set<number>;
  /** HTTP status (or `network`) of every answer, for the report. */
  statuses: Map<string, number>;
  /** Unexpected answers (not 200, 429, 503, network): status and body, first few only. */
  unexpected: string[];
}

export interface LoadOptions {
  url: string;
  authorization: string;
  stream: string;
  clients: number;
  /** Pause between one client's requests, to leave the 2 CPU cores some air. */
  pauseMs: number;
}

export interface RunningLoad {
  tally: LoadTally;
  /** Stops sending and resolves once every client's last request is settled. */
  stop(): Promise<LoadTally>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long to wait before the next try, from Retry-After (seconds) when the server sent it. */
function retryDelayMs(response: Response | undefined): number {
  const header = Number(response?.headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(header) && header > 0
    ? Math.min(header * 1000, MAX_RETRY_MS)
    : DEFAULT_RETRY_MS;
}

/**
 * `clients` concurrent writers posting uniquely numbered records to `/_json` until stopped.
 * A refusal (503, 429) or a lost connection is retried after Retry-After; every acknowledged
 * id is recorded.
 */
export function startLoad(options: LoadOptions): RunningLoad {
  const tally: LoadTally = {
    acked: new Set(),
    maybe: new Set(),
    statuses: new Map(),
    unexpected: [],
  };
  let stopping = false;
  const count = (status: string) =>
    tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);

  const client = async (c: number): Promise<void> => {
    let next = c * ID_SPACE;
    while (!stopping) {
      const ids = Array.from({ length: BATCH }, () => next++);
      const body = JSON.stringify(
        ids.map((id) => ({ seq: id, client: c, log: `client ${c} record ${id}` })),
      );
      let response: Response | undefined;
      let text = '';
      try {
        response = await fetch(`${options.url}/api/default/${options.stream}/_json`, {
          method: 'POST',
          headers: { authorization: options.authorization, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        text = await response.text();
      } catch {
        response = undefined;
      }
      const status = response?.status;
      count(status === undefined ? 'network' : String(status));
      const full = `{"code":200,"status":[{"name":"${options.stream}","successful":${BATCH},"failed":0}]}`;
      if (status === 200 && text === full) {
        for (const id of ids) tally.acked.add(id);
      } else {
        // 429/503 are refusals, but a 503 after the router gave up on one ingester may follow a
        // store it never heard of: count every non-ack as "maybe stored", never as acked.
        for (const id of ids) tally.maybe.add(id);
        if (
          status !== undefined &&
          status !== 429 &&
          status !== 503 &&
          tally.unexpected.length < 10
        )
          tally.unexpected.push(`${status}: ${text.slice(0, 300)}`);
        await sleep(retryDelayMs(response));
        continue;
      }
      await sleep(options.pauseMs);
    }
  };
  const running = Array.from({ length: options.clients }, (_, c) => client(c + 1));
  return {
    tally,
    stop: async () => {
      stopping = true;
      await Promise.all(running);
      return tally;
    },
  };
}

/** How often each `seq` occurs in the stream's Parquet objects, read from the bucket with DuckDB. */
export async function countInBucket(
  bucket: S3ObjectStore,
  stream: string,
  scratchDir: string,
): Promise<{ objects: number; occurrences: Map<number, number> }> {
  const dir = join(scratchDir, stream);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for await (const object of bucket.list(`files/default/logs/${stream}/`)) {
    if (!object.key.endsWith('.parquet')) continue;
    const path = join(dir, `${files.length}.parquet`);
    const chunks: Buffer[] = [];
    for await (const chunk of await bucket.get(object.key)) chunks.push(chunk as Buffer);
    await writeFile(path, Buffer.concat(chunks));
    files.push(path);
  }
  const occurrences = new Map<number, number>();
  if (files.length === 0) return { objects: 0, occurrences };
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const list = files.map((f) => `'${f}'`).join(',');
    const reader = await connection.runAndReadAll(
      `SELECT seq, count(*) AS n FROM read_parquet([${list}], union_by_name = true) GROUP BY seq`,
    );
    for (const row of reader.getRowObjectsJS())
      occurrences.set(Number(row['seq']), Number(row['n']));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { objects: files.length, occurrences };
}

/** What went wrong between the tally and the bucket; empty when every ack is stored once. */
export function checkExactlyOnce(tally: LoadTally, occurrences: Map<number, number>): string[] {
  const problems: string[] = [];
  const missing = [...tally.acked].filter((id) => !occurrences.has(id));
  if (missing.length > 0)
    problems.push(`${missing.length} acked ids missing, e.g. ${missing.slice(0, 5).join(', ')}`);
  const repeated = [...occurrences].filter(([, n]) => n > 1);
  if (repeated.length > 0)
    problems.push(
      `${repeated.length} ids stored more than once, e.g. ${repeated
        .slice(0, 5)
        .map(([id, n]) => `${id}×${n}`)
        .join(', ')}`,
    );
  const strangers = [...occurrences.keys()].filter(
    (id) => !tally.acked.has(id) && !tally.maybe.has(id),
  );
  if (strangers.length > 0) problems.push(`${strangers.length} ids never sent were stored`);
  return problems;
}
