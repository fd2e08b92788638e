import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsCluster } from '@o2/cluster';
import { makeTempDir, waitForPort } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { checkExactlyOnce, countInBucket, startLoad } from './outage-load.js';
import type { LoadTally } from './outage-load.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { pollUntil } from './role-output.js';

const AUTH = basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password);
const TTL_SECONDS = 10;
const CLIENTS = 4;
const PAUSE_MS = 20;
const BOOT_MS = 120_000;
/** Load before the outage, and after the server is back (acks must resume in that time). */
const BEFORE_MS = 5_000;
const AFTER_MS = 10_000;
const SETTLE_MS = 90_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Router, two ingesters and a querier as separate processes over real NATS, Postgres and MinIO.
// Four clients post uniquely numbered records through the router while one of the servers goes
// away and comes back; afterwards every acknowledged record is in the bucket exactly once (read
// from the Parquet objects with DuckDB) and the search API counts the same rows.
describe('cluster mode: ingest survives MinIO, NATS and Postgres outages', () => {
  let cluster: RoleCluster;
  let router: RoleNode;
  let nodes: RoleNode[] = [];
  let scratch: TempDir;
  const startedAt = Date.now();

  const output = () =>
    nodes.map((n) => `--- ${n.name}\n${n.process.output().slice(-6000)}`).join('\n');

  const api = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', AUTH);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${router.process.url}${path}`, {
      ...init,
      headers,
      signal: AbortSignal.timeout(60_000),
    });
    return { status: response.status, text: await response.text() };
  };

  /** Flushes every ingester through the router, retrying while a store is still waking up. */
  const flush = async () => {
    let last = '';
    const done = await pollUntilAsync(async () => {
      const answer = await api('/node/flush', { method: 'PUT' }).catch((e: unknown) => ({
        status: 0,
        text: String(e),
      }));
      last = `${answer.status} ${answer.text}`;
      return answer.status === 200;
    }, SETTLE_MS);
    if (!done) throw new Error(`flush never succeeded: ${last}\n${output()}`);
  };

  const searchCount = async (stream: string) => {
    const body = JSON.stringify({
      query: {
        sql: `SELECT count(*) AS n, count(DISTINCT seq) AS d FROM "${stream}"`,
        start_time: (startedAt - 3_600_000) * 1000,
        end_time: (Date.now() + 3_600_000) * 1000,
      },
    });
    const answer = await api('/api/default/_search', { method: 'POST', body });
    if (answer.status !== 200) throw new Error(`search ${answer.status}: ${answer.text}`);
    const hit = (JSON.parse(answer.text) as { hits: Array<{ n: unknown; d: unknown }> }).hits[0];
    return { n: Number(hit?.n), d: Number(hit?.d) };
  };

  /**
   * Runs the load on `stream` around `outage` (which resolves once the server is back), then
   * flushes and checks: every ack stored exactly once, nothing unknown stored, search agrees.
   */
  const underLoad = async (
    stream: string,
    outage: (mark: (at: 'down' | 'up') => void) => Promise<void>,
    acksWhileDown = true,
  ) => {
    const load = startLoad({
      url: router.process.url,
      authorization: AUTH,
      stream,
      clients: CLIENTS,
      pauseMs: PAUSE_MS,
    });
    await sleep(BEFORE_MS);
    const ackedBefore = load.tally.acked.size;
    const marks = { down: 0, up: 0 };
    await outage((at) => (marks[at] = load.tally.acked.size));
    const ackedAtReturn = load.tally.acked.size;
    await sleep(AFTER_MS);
    const tally = await load.stop();
    const report = `${summary(tally)}, acked while down ${marks.up - marks.down}`;
    // Load went on before and after: the cluster recovered by itself, without restarts.
    expect(ackedBefore, report).toBeGreaterThan(0);
    expect(tally.acked.size, report).toBeGreaterThan(ackedAtReturn);
    expect(tally.unexpected, report).toEqual([]);
    // Ingest needs neither storage nor coordination: the cluster kept acknowledging while the
    // server was away.
    if (acksWhileDown) expect(marks.up - marks.down, report).toBeGreaterThan(0);

    await flush();
    // Uploads that were backing off may still be finishing: wait until every ack is stored.
    let problems: string[] = [];
    let rows = 0;
    let objects = 0;
    await pollUntilAsync(async () => {
      const counted = await countInBucket(cluster.bucket, stream, scratch.path);
      problems = checkExactlyOnce(tally, counted.occurrences);
      rows = [...counted.occurrences.values()].reduce((a, b) => a + b, 0);
      objects = counted.objects;
      return problems.length === 0;
    }, SETTLE_MS);
    expect(problems, `${report}; ${objects} objects\n${output()}`).toEqual([]);
    const searched = await searchCount(stream);
    expect(searched, report).toEqual({ n: rows, d: rows });
    return { tally, rows, objects, report };
  };

  beforeAll(async () => {
    scratch = await makeTempDir('outage-scratch');
    cluster = await startRoleCluster('outage', TTL_SECONDS);
    router = await cluster.start('router', 'router-1');
    // The router first: it migrates the metastore and creates the root user.
    await waitUntilHealthy(router.process, BOOT_MS);
    const workers = await Promise.all([
      cluster.start('ingester', 'ingester-1'),
      cluster.start('ingester', 'ingester-2'),
      cluster.start('querier', 'querier-1'),
    ]);
    nodes = [router, ...workers];
    await Promise.all(workers.map((n) => waitForPort(n.grpcPort, BOOT_MS)));
    const started = (n: RoleNode) => n.process.output().includes('"msg":"started"');
    if (!(await pollUntil(() => workers.every(started), BOOT_MS)))
      throw new Error(`not every node started:\n${output()}`);
  }, BOOT_MS + 60_000);

  afterAll(async () => {
    await cluster?.stop();
    await scratch?.remove();
  }, 120_000);

  it('MinIO stopped for 60 s: acks go on into local files, /readyz says why, nothing is lost', async () => {
    const readiness: Array<{ status: number; text: string }> = [];
    const { rows } = await underLoad('outage_minio', async (mark) => {
      await cluster.minio.halt();
      mark('down');
      const downUntil = Date.now() + 60_000;
      while (Date.now() < downUntil) {
        const answer = await fetch(`${router.process.url}/readyz`, {
          signal: AbortSignal.timeout(10_000),
        })
          .then(async (r) => ({ status: r.status, text: await r.text() }))
          .catch((e: unknown) => ({ status: 0, text: String(e) }));
        readiness.push(answer);
        await sleep(2_000);
      }
      mark('up');
      await cluster.minio.start();
    });
    expect(rows).toBeGreaterThan(0);
    // Degraded while MinIO was away, naming the object store.
    const degraded = readiness.filter(
      (r) => r.status === 503 && /"status":"degraded"/.test(r.text) && /object store/i.test(r.text),
    );
    expect(degraded.length, JSON.stringify(readiness.slice(-3))).toBeGreaterThan(0);
    // And ready again once it is back.
    const ready = await pollUntilAsync(async () => {
      const r = await fetch(`${router.process.url}/readyz`);
      return r.status === 200 && (await r.text()) === JSON.stringify({ status: 'ok' });
    }, 30_000);
    expect(ready).toBe(true);
  }, 240_000);

  it('NATS restarted: nodes re-register, ingest and search go on, nothing is lost', async () => {
    const searches = { ok: 0, early: 0, unavailable: 0, other: [] as string[] };
    let searching = true;
    const searchLoop = (async () => {
      while (searching) {
        const answer = await searchCount('outage_nats')
          .then(() => 'ok')
          .catch((e: unknown) => String(e));
        if (answer === 'ok') searches.ok++;
        else if (/search 503/.test(answer)) searches.unavailable++;
        // Until the first batch is acknowledged the stream does not exist yet.
        else if (searches.ok === 0 && /stream not found/.test(answer)) searches.early++;
        else if (searches.other.length < 5) searches.other.push(answer);
        await sleep(500);
      }
    })();
    await underLoad('outage_nats', async (mark) => {
      await cluster.nats.halt();
      mark('down');
      await sleep(5_000);
      mark('up');
      await cluster.nats.start();
    });
    searching = false;
    await searchLoop;
    expect(searches.other).toEqual([]);
    expect(searches.ok).toBeGreaterThan(0);
    // Every node is registered again with a fresh heartbeat, read from NATS itself.
    const registry = await connectNatsCluster({ servers: cluster.nats.url });
    try {
      const names = async () => (await registry.nodes.list()).map((n) => n.name).sort();
      await pollUntilAsync(async () => (await names()).length === nodes.length, 30_000);
      expect(await names()).toEqual(nodes.map((n) => n.name).sort());
    } finally {
      await registry.close();
    }
  }, 180_000);

  // The router checks credentials in Postgres, so requests wait (the metastore retries) rather
  // than being acknowledged during the restart; none is refused and none is lost.
  it('Postgres restarted: metadata and file_list writes retry, nothing is lost or orphaned', async () => {
    const { tally, report } = await underLoad(
      'outage_postgres',
      async (mark) => {
        await cluster.postgres.halt();
        mark('down');
        await sleep(5_000);
        mark('up');
        await cluster.postgres.start();
      },
      false,
    );
    expect(tally.maybe.size, report).toBe(0);
  }, 180_000);
});

function summary(tally: LoadTally): string {
  return `acked ${tally.acked.size}, maybe ${tally.maybe.size}, answers ${JSON.stringify(
    Object.fromEntries(tally.statuses),
  )}`;
}

async function pollUntilAsync(accept: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await accept().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await sleep(1_000);
  }
}
