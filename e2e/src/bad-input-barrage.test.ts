import { Agent, request } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { badRequests } from './bad-input-cases.js';
import { badOtlpRequests } from './bad-otlp-cases.js';
import type { BadRequest } from './bad-input-cases.js';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from './product-process.js';
import type { ProductProcess } from './product-process.js';

const AUTH = basicAuth(ROOT.email, ROOT.password);
const BAD_COUNT = 420;
const LOAD_MS = 20_000;
const CLIENTS = 8;
const BATCH = 20;
const VALID_STREAM = 'barrage_valid';
/** What a response body must never show: JS error names, messages, stack frames. */
const INTERNALS =
  /Maximum call stack|TypeError|RangeError|ReferenceError|SyntaxError|\bstack\b| at \/|at file:|node:internal|undefined is not|Cannot read prop/i;
const VALID_ORG = /^[A-Za-z0-9_]{1,100}$/;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

/** One request with its path sent exactly as written (node:http does not normalise it). */
function send(base: string, req: Omit<BadRequest, 'label'>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: { authorization: AUTH, ...req.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const retryAfter: string | undefined = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body === undefined ? undefined : Buffer.from(req.body));
  });
}

async function parquetFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true }))
      .filter((f) => f.endsWith('.parquet'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Rows per id in the Parquet files under `dir`, read by a real DuckDB (not through the API). */
async function idCounts(dir: string): Promise<Map<string, number>> {
  const files = await parquetFiles(dir);
  const counts = new Map<string, number>();
  if (files.length === 0) return counts;
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT id, count(*)::INTEGER AS n FROM read_parquet([${files.map((f) => `'${f}'`).join(',')}], union_by_name = true) GROUP BY id`,
    );
    for (const row of reader.getRowObjectsJS()) counts.set(row['id'] as string, Number(row['n']));
    return counts;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function k8sRecord(id: string, n: number): Record<string, unknown> {
  return {
    id,
    log: `GET /api/items/${n} HTTP/1.1 200 ${n % 997}ms`,
    stream: n % 5 === 0 ? 'stderr' : 'stdout',
    code: [200, 201, 404, 500][n % 4],
    kubernetes: {
      namespace_name: `ns-${n % 3}`,
      pod_name: `web-${n % 7}-x9z`,
      container_name: 'web',
      labels: { app: 'web', tier: n % 2 === 0 ? 'front' : 'back' },
    },
  };
}

/** One client's valid load: returns the ids the server acknowledged and all ids it sent. */
async function validClient(base: string, client: number, until: number) {
  const acked: string[] = [];
  const sent: string[] = [];
  const refused: Answer[] = [];
  let seq = 0;
  for (let round = 0; Date.now() < until; round++) {
    const records = Array.from({ length: BATCH }, () => {
      const id = `c${client}_${seq}`;
      return k8sRecord(id, seq++);
    });
    const ids = records.map((r) => r['id'] as string);
    sent.push(...ids);
    const format = ['json', 'multi', 'bulk'][(client + round) % 3];
    const body =
      format === 'json'
        ? JSON.stringify(records)
        : format === 'multi'
          ? records.map((r) => JSON.stringify(r)).join('\n')
          : records
              .map((r) => `{"index":{"_index":"${VALID_STREAM}"}}\n${JSON.stringify(r)}`)
              .join('\n');
    const path =
      format === 'bulk' ? '/api/default/_bulk' : `/api/default/${VALID_STREAM}/_${format}`;
    const answer = await send(base, { method: 'POST', path, body: new TextEncoder().encode(body) });
    if (answer.status !== 200) {
      refused.push(answer);
      if (answer.status === 503) await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    if (format === 'bulk') {
      const items = (JSON.parse(answer.text) as { items: Array<{ index: { status: number } }> })
        .items;
      items.forEach((item, i) => {
        if (item.index.status === 200) acked.push(ids[i] as string);
      });
    } else {
      const status = (JSON.parse(answer.text) as { status: Array<{ successful: number }> })
        .status[0];
      // Every record is valid, so a 200 must report all of them successful.
      expect(status?.successful, answer.text).toBe(BATCH);
      acked.push(...ids);
    }
  }
  return { acked, sent, refused };
}

describe('bad-input barrage against the built single node', () => {
  let dataDir: TempDir;
  let product: ProductProcess;

  beforeAll(async () => {
    dataDir = await makeTempDir('barrage');
    product = await startHealthyProduct(
      'standalone',
      {
        ZO_DATA_DIR: `${dataDir.path}/`,
        ...rootUserEnv(),
        RUST_LOG: 'warn',
        ZO_MEM_PERSIST_INTERVAL: '2',
        ZO_FILE_PUSH_INTERVAL: '2',
      },
      60_000,
    );
  });

  afterAll(async () => {
    agent.destroy();
    await product?.stop();
    await dataDir?.remove();
  });

  it('answers every bad request in O2 shape, keeps persisting, and stores every acknowledged record once', async () => {
    const streamDir = join(dataDir.path, 'stream');
    const before = await send(product.url, {
      method: 'POST',
      path: '/api/other_org/steady/_json',
      body: new TextEncoder().encode(JSON.stringify([k8sRecord('before', 0)])),
    });
    expect(before.status, before.text).toBe(200);

    // 1. The barrage, 8 at a time.
    const cases = [...badRequests(BAD_COUNT), ...badOtlpRequests()];
    expect(cases.length).toBeGreaterThanOrEqual(400);
    const problems: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < cases.length) {
          const bad = cases[next++] as BadRequest;
          const answer = await send(product.url, bad);
          const where = `${bad.label} (${bad.method} ${bad.path.slice(0, 80)}) → ${answer.status} ${answer.text.slice(0, 200)}`;
          if (answer.status >= 500 && !(answer.status === 503 && answer.retryAfter !== undefined))
            problems.push(`5xx: ${where}`);
          if (INTERNALS.test(answer.text)) problems.push(`internals: ${where}`);
          if (bad.badOrg === true) {
            let body: unknown;
            try {
              body = JSON.parse(answer.text);
            } catch {
              body = undefined;
            }
            const shaped =
              answer.status === 400 &&
              typeof body === 'object' &&
              body !== null &&
              (body as { code?: unknown }).code === 400 &&
              typeof (body as { message?: unknown }).message === 'string';
            if (!shaped) problems.push(`bad org not a 400 {code,message}: ${where}`);
          }
        }
      }),
    );
    expect(problems).toEqual([]);

    // 2. Another org's stream keeps persisting: rows sent after the barrage reach storage by
    // the node's own cycles (no flush), which a wedged persist cycle would never do.
    const after = await send(product.url, {
      method: 'POST',
      path: '/api/other_org/steady/_json',
      body: new TextEncoder().encode(JSON.stringify([k8sRecord('after', 1)])),
    });
    expect(after.status, after.text).toBe(200);
    const steadyDir = join(streamDir, 'files/other_org/logs/steady');
    const persisted = (async () => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const ids = await idCounts(steadyDir);
        if (ids.get('after') === 1 && ids.get('before') === 1) return ids;
        await new Promise((r) => setTimeout(r, 500));
      }
      return idCounts(steadyDir);
    })();

    // 3. Valid load from 8 clients, while the steady stream is watched.
    const until = Date.now() + LOAD_MS;
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, (_, c) => validClient(product.url, c, until)),
    );
    const steady = await persisted;
    expect(Object.fromEntries(steady)).toEqual({ before: 1, after: 1 });

    const refused = results.flatMap((r) => r.refused);
    for (const answer of refused) {
      expect(answer.status, answer.text).toBe(503);
      expect(answer.retryAfter).toBeDefined();
    }
    const acked = new Set(results.flatMap((r) => r.acked));
    const sent = new Set(results.flatMap((r) => r.sent));
    expect(acked.size).toBeGreaterThan(CLIENTS * BATCH);

    // 4. Everything acknowledged is in Parquet exactly once, counted by DuckDB from the files.
    const flushed = await send(product.url, { method: 'PUT', path: '/node/flush' });
    expect(flushed.status, flushed.text).toBe(200);
    const counts = await idCounts(join(streamDir, 'files/default/logs', VALID_STREAM));
    const missing = [...acked].filter((id) => counts.get(id) !== 1);
    expect(missing.slice(0, 10), `${missing.length} acknowledged ids not stored once`).toEqual([]);
    const unknown = [...counts.keys()].filter((id) => !sent.has(id));
    expect(unknown).toEqual([]);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    // 5. No directory named after a bad org, anywhere under the data dir, and no such org.
    const entries = await readdir(dataDir.path, { recursive: true, withFileTypes: true });
    const orgDirs = entries
      .filter((e) => e.isDirectory() && e.parentPath.endsWith(`${'/'}files`))
      .map((e) => e.name);
    expect(orgDirs.filter((name) => !VALID_ORG.test(name))).toEqual([]);
    expect(
      entries.filter(
        (e) => e.name.includes('Bad Org') || e.name.includes('..') || e.name.includes('!'),
      ),
    ).toEqual([]);
    const orgs = await send(product.url, { method: 'GET', path: '/api/organizations' });
    const ids = (JSON.parse(orgs.text) as { data: Array<{ identifier: string }> }).data.map(
      (o) => o.identifier,
    );
    expect(ids.filter((id) => !VALID_ORG.test(id))).toEqual([]);
    expect(product.output()).not.toContain('invalid org for a file key');
  }, 150_000);
});
