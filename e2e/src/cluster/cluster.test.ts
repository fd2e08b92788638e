import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  generateK8sLogs,
  jsonBody,
  makeTempDir,
  startMinioServer,
  startNatsServer,
  startPostgresServer,
  waitForPort,
} from '@o2/testing';
import type {
  MinioServerHandle,
  NatsServerHandle,
  PostgresServerHandle,
  TempDir,
} from '@o2/testing';
import { S3ObjectStore } from '@o2/storage';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';

const ROOT = { email: 'root@example.com', password: 'Complexpass#123' };
/** 981 generated k8s log records (the size of O2's sample): the data and the oracle's input. */
const RECORDS = generateK8sLogs();
const K8SLOG = jsonBody(RECORDS);
/** O2's default full-text fields (the raw-data side of the match_all comparison). */
const FTS_FIELDS = ['log', 'message', 'msg', 'content', 'data', 'events', 'body', 'json', 'error'];
/** A row's texts, absent and null alike, to compare hits (which omit nulls) with records. */
const texts = (r: Record<string, unknown>): string =>
  JSON.stringify([r['log'] ?? null, r['message'] ?? null]);
const LOADED_BOX_MS = 90_000;
const BUCKET = 'o2ts-cluster';

interface Started {
  name: string;
  process: ProductProcess;
  grpcPort: number;
}

async function api(router: ProductProcess, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', basicAuth(ROOT.email, ROOT.password));
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${router.url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, text };
}

/** Polls `read` until `accept` holds, failing with the last value after the deadline. */
async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = LOADED_BOX_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

// One cluster for the file (starting it is the slow part); the tests run in order and build on
// each other's data, the last one kills an ingester.
describe('cluster mode: router, 2 ingesters and a querier as separate processes', () => {
  let nats: NatsServerHandle;
  let postgres: PostgresServerHandle;
  let minio: MinioServerHandle;
  let dataDir: TempDir;
  let router: ProductProcess;
  const services: Started[] = [];
  const killed = new Set<Started>();
  let start: (service: string, name: string, grpcPort?: number) => Promise<Started>;
  const startedAt = Date.now();

  const search = async (sql: string) => {
    const body = JSON.stringify({
      query: {
        sql,
        start_time: (startedAt - 3_600_000) * 1000,
        end_time: (Date.now() + 3_600_000) * 1000,
        size: 1000,
      },
    });
    const answer = await api(router, '/api/default/_search', { method: 'POST', body });
    if (answer.status !== 200) throw new Error(`search ${answer.status}: ${answer.text}`);
    return JSON.parse(answer.text) as { hits: Array<Record<string, unknown>> };
  };
  const count = async (stream: string) =>
    Number((await search(`SELECT count(*) AS n FROM "${stream}"`)).hits[0]?.['n']);

  /** Ingest through the router; a 503 (no ingester registered yet) stored nothing, so resend. */
  const ingest = async (stream: string, body: Uint8Array | string) => {
    const answer = await eventually(
      () => api(router, `/api/default/${stream}/_json`, { method: 'POST', body }),
      (a) => a.status !== 503,
    );
    return answer.text;
  };

  beforeAll(async () => {
    [nats, postgres, minio, dataDir] = await Promise.all([
      startNatsServer(),
      startPostgresServer(),
      startMinioServer(),
      makeTempDir('cluster'),
    ]);
    const common = {
      ZO_LOCAL_MODE: 'false',
      ZO_META_POSTGRES_DSN: await postgres.createDatabase(),
      ZO_NATS_ADDR: nats.url,
      ZO_S3_SERVER_URL: minio.endpoint,
      ZO_S3_REGION_NAME: minio.region,
      ZO_S3_ACCESS_KEY: minio.accessKey,
      ZO_S3_SECRET_KEY: minio.secretKey,
      ZO_S3_BUCKET_NAME: BUCKET,
      ZO_INTERNAL_GRPC_TOKEN: 'cluster-e2e-token',
      ZO_GRPC_ADDR: '127.0.0.1',
      // A killed node leaves the registry within seconds instead of the default 30.
      ZO_NODE_HEARTBEAT_TTL: '6',
      ZO_ROOT_USER_EMAIL: ROOT.email,
      ZO_ROOT_USER_PASSWORD: ROOT.password,
    };
    start = async (service, name, port) => {
      const grpcPort = port ?? (await freePort());
      const process = await startProductProcess(service, {
        ...common,
        ZO_INSTANCE_NAME: name,
        ZO_GRPC_PORT: String(grpcPort),
        ZO_DATA_DIR: `${dataDir.path}/${name}/`,
      });
      const started = { name, process, grpcPort };
      services.push(started);
      return started;
    };
    // The router first: it migrates the metastore and creates the root user.
    router = (await start('router', 'router-1')).process;
    await waitUntilHealthy(router, LOADED_BOX_MS);
    const workers = await Promise.all([
      start('ingester', 'ingester-1'),
      start('ingester', 'ingester-2'),
      start('querier', 'querier-1'),
    ]);
    // A node registers once its gRPC server listens: wait for the ports, then for the router to
    // find the querier (a search answers something else than 503).
    await Promise.all(
      workers.map(async (w) => {
        try {
          await waitForPort(w.grpcPort, LOADED_BOX_MS);
        } catch (error) {
          throw new Error(`${String(error)}\n${w.process.output()}`);
        }
      }),
    );
    const probe = JSON.stringify({
      query: { sql: 'SELECT * FROM "probe"', start_time: 0, end_time: 1 },
    });
    await eventually(
      () => api(router, '/api/default/_search', { method: 'POST', body: probe }),
      (a) => a.status !== 503,
    );
  }, 300_000);

  afterAll(async () => {
    const exits = await Promise.all(
      [...services]
        .reverse()
        .filter((s) => !killed.has(s))
        .map(async (s) => [s.name, await s.process.stop()] as const),
    );
    await Promise.all([nats?.stop(), postgres?.stop(), minio?.stop()]);
    await dataDir?.remove();
    // Every process but the one the test killed exits cleanly on SIGTERM.
    expect(exits).toEqual(exits.map(([name]) => [name, 0]));
  }, 120_000);

  it('counts every acknowledged record straight after the ack and after a flush', async () => {
    expect(await ingest('default', K8SLOG)).toBe(
      '{"code":200,"status":[{"name":"default","successful":981,"failed":0}]}',
    );
    expect(await count('default')).toBe(981);
    // Stream stats count the rows the ingesters still hold (NodeService.HotStats).
    const streams = await api(router, '/api/default/streams?type=logs');
    const listed = (
      JSON.parse(streams.text) as { list: Array<{ name: string; stats: { doc_num: number } }> }
    ).list;
    expect(listed.find((s) => s.name === 'default')?.stats.doc_num).toBe(981);

    const flushed = await api(router, '/node/flush', { method: 'PUT' });
    expect(flushed.status).toBe(200);
    // The flush answered once every ingester uploaded: the rows now come from MinIO.
    const bucket = new S3ObjectStore({
      endpoint: minio.endpoint,
      region: minio.region,
      accessKey: minio.accessKey,
      secretKey: minio.secretKey,
      bucket: BUCKET,
      prefix: '',
    });
    const keys: string[] = [];
    for await (const object of bucket.list('files/default/logs/default/')) keys.push(object.key);
    expect(keys.some((key) => key.endsWith('.parquet'))).toBe(true);
    expect(await count('default')).toBe(981);
  }, 180_000);

  it('combines rows held by both ingesters', async () => {
    // Two requests go round robin to the two ingesters.
    const half = Math.ceil(RECORDS.length / 2);
    for (const part of [RECORDS.slice(0, half), RECORDS.slice(half)]) {
      const answer = JSON.parse(await ingest('split', JSON.stringify(part))) as {
        status: Array<{ successful: number }>;
      };
      expect(answer.status[0]?.successful).toBe(part.length);
    }
    expect(await count('split')).toBe(981);
  }, 180_000);

  it('answers match_all as the raw data does', async () => {
    const term = 'error';
    const expected = RECORDS.filter((r) =>
      FTS_FIELDS.some((f) => typeof r[f] === 'string' && r[f].toLowerCase().includes(term)),
    )
      .map(texts)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const { hits } = await search(`SELECT * FROM "default" WHERE match_all('${term}')`);
    expect(hits.map(texts).sort()).toEqual(expected);
  }, 180_000);

  it('forwards _values, _around and _search_partition to the querier', async () => {
    const range = `start_time=${(startedAt - 3_600_000) * 1000}&end_time=${(Date.now() + 3_600_000) * 1000}`;
    const values = await api(
      router,
      `/api/default/default/_values?fields=kubernetes_namespace_name&size=100&${range}`,
    );
    expect(values.status).toBe(200);
    const expected = new Map<string, number>();
    for (const r of RECORDS) {
      const ns = String(r['kubernetes.namespace_name']);
      expected.set(ns, (expected.get(ns) ?? 0) + 1);
    }
    const body = JSON.parse(values.text) as {
      hits: Array<{ field: string; values: Array<{ zo_sql_key: string; zo_sql_num: number }> }>;
    };
    expect(
      new Map(body.hits[0]?.values.map((v) => [v.zo_sql_key, Number(v.zo_sql_num)]) ?? []),
    ).toEqual(expected);

    const [newest] = (await search('SELECT _timestamp FROM "default" ORDER BY _timestamp DESC'))
      .hits;
    const around = await api(
      router,
      `/api/default/default/_around?key=${String(newest?.['_timestamp'])}&size=10`,
    );
    expect(around.status).toBe(200);
    expect((JSON.parse(around.text) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);

    const partition = await api(router, '/api/default/_search_partition', {
      method: 'POST',
      body: JSON.stringify({
        sql: 'SELECT * FROM "default"',
        start_time: (startedAt - 3_600_000) * 1000,
        end_time: (Date.now() + 3_600_000) * 1000,
      }),
    });
    expect(partition.status).toBe(200);
    expect(JSON.parse(partition.text)).toHaveProperty('partitions');

    // A querier's search error reaches the HTTP client with O2's code, as in single node.
    const missing = await api(router, '/api/default/_search', {
      method: 'POST',
      body: JSON.stringify({
        query: { sql: 'SELECT * FROM "no_such_stream"', start_time: 0, end_time: 1 },
      }),
    });
    expect([missing.status, (JSON.parse(missing.text) as { code: number }).code]).toEqual([
      400, 20002,
    ]);
  }, 180_000);

  it('finds every acknowledged record exactly once after an ingester is killed and restarted', async () => {
    const ack = (stream: string) =>
      `{"code":200,"status":[{"name":"${stream}","successful":981,"failed":0}]}`;
    // Round robin: one request on each ingester, held there (WAL + memtable), not flushed.
    for (let i = 0; i < 2; i++)
      expect(await ingest('before_kill', K8SLOG)).toBe(ack('before_kill'));
    const victim = services.find((s) => s.name === 'ingester-2');
    if (victim === undefined) throw new Error('ingester-2 is not running');
    killed.add(victim);
    await victim.process.stop('SIGKILL');

    // Still registered until its heartbeat lapses: one of the two requests meets the dead
    // address (UNAVAILABLE) and moves on to the live ingester.
    for (let i = 0; i < 2; i++) expect(await ingest('after_kill', K8SLOG)).toBe(ack('after_kill'));

    // Same data dir (its WAL) and address, as a restarted pod.
    const restarted = await start('ingester', 'ingester-2', victim.grpcPort);
    await waitForPort(restarted.grpcPort, LOADED_BOX_MS);
    // Searches ask every registered ingester, so they may fail while the dead registration
    // lingers or the new process replays its WAL.
    const counts = () =>
      Promise.all(['before_kill', 'after_kill', 'default', 'split'].map((s) => count(s))).catch(
        () => [],
      );
    expect(await eventually(counts, (c) => c.length > 0)).toEqual([2 * 981, 2 * 981, 981, 981]);
  }, 240_000);
});
