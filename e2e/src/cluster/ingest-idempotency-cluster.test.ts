import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, waitForPort } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { storedSeqs } from '../stored-seqs.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { pollUntil } from './role-output.js';

const LOADED_BOX_MS = 60_000;
const STREAM = 'idem_cluster';
const AUTH = basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password);
// Three keys: with two ingesters in plain round robin, every second send of a key would land on
// the other ingester (sends 1–3 go a,b,a and 4–6 go b,a,b), so only owner routing stores once.
const KEYS = ['cluster-key-0', 'cluster-key-1', 'cluster-key-2'];
const PER_KEY = 30;

const bodyFor = (k: number): string =>
  JSON.stringify(
    Array.from({ length: PER_KEY }, (_, i) => ({ seq: k * PER_KEY + i, log: `key ${k} #${i}` })),
  );

// Router and two ingesters as separate processes: each key's three sends (both ingesters
// SIGKILLed and restarted between the 2nd and the 3rd) are answered alike and stored once.
describe('cluster mode: Idempotency-Key retries reach the key owner, across kill -9', () => {
  let cluster: RoleCluster;
  let router: RoleNode;
  let download: TempDir;

  const started = (n: RoleNode) => n.process.output().includes('"msg":"started"');
  const startIngesters = async (ports: number[] = []): Promise<RoleNode[]> => {
    const nodes = await Promise.all(
      [0, 1].map((i) =>
        cluster.start(
          'ingester',
          `ingester-${i + 1}`,
          // Only the flush at the end persists; a restart keeps its gRPC address.
          {
            ZO_MEM_PERSIST_INTERVAL: '3600',
            ZO_FILE_PUSH_INTERVAL: '3600',
            ...(ports[i] === undefined ? {} : { ZO_GRPC_PORT: String(ports[i]) }),
          },
        ),
      ),
    );
    // A restart overrides ZO_GRPC_PORT, so the node's own grpcPort (a fresh one) is unused.
    await Promise.all(nodes.map((n, i) => waitForPort(ports[i] ?? n.grpcPort, LOADED_BOX_MS)));
    if (!(await pollUntil(() => nodes.every(started), LOADED_BOX_MS)))
      throw new Error(`ingesters did not start:\n${nodes.map((n) => n.process.output()).join()}`);
    return nodes;
  };
  const send = async (k: number): Promise<string> => {
    const response = await fetch(`${router.process.url}/api/default/${STREAM}/_json`, {
      method: 'POST',
      headers: { authorization: AUTH, 'idempotency-key': KEYS[k] ?? '' },
      body: bodyFor(k),
    });
    return `${response.status} ${await response.text()}`;
  };

  beforeAll(async () => {
    download = await makeTempDir('idem-cluster-download');
    cluster = await startRoleCluster('idem-cluster', 30);
    router = await cluster.start('router', 'router-1');
    await waitUntilHealthy(router.process, LOADED_BOX_MS);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await download?.remove();
  }, 60_000);

  it('answers each key alike three times and stores each body once', async () => {
    const first = await startIngesters();
    const answers: string[][] = KEYS.map(() => []);
    for (let round = 0; round < 2; round++)
      for (let k = 0; k < KEYS.length; k++) answers[k]?.push(await send(k));

    for (const node of first) expect(await node.process.stop('SIGKILL')).toBe('SIGKILL');
    await startIngesters(first.map((n) => n.grpcPort));
    for (let k = 0; k < KEYS.length; k++) answers[k]?.push(await send(k));

    const expected = `200 {"code":200,"status":[{"name":"${STREAM}","successful":${PER_KEY},"failed":0}]}`;
    expect(answers).toEqual(KEYS.map(() => [expected, expected, expected]));

    const flushed = await fetch(`${router.process.url}/node/flush`, {
      method: 'PUT',
      headers: { authorization: AUTH },
    });
    expect(flushed.status).toBe(200);
    for await (const object of cluster.bucket.list(`files/default/logs/${STREAM}/`)) {
      const path = join(download.path, object.key);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, await cluster.bucket.getBytes(object.key));
    }
    const stored = await storedSeqs(join(download.path, `files/default/logs/${STREAM}`));
    expect(stored).toEqual(Array.from({ length: KEYS.length * PER_KEY }, (_, seq) => seq));
  }, 240_000);
});
