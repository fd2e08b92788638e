import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '@o2/storage';
import { makeTempDir, startMinioServer } from '@o2/testing';
import type { MinioServerHandle, TempDir } from '@o2/testing';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from './product-process.js';
import { storedSeqs } from './stored-seqs.js';

const AUTH = basicAuth(ROOT.email, ROOT.password);
const ROUNDS = 20;
const BATCH = 25;

/**
 * Posts numbered batches from two concurrent clients, SIGKILLs the server right after one is
 * acknowledged, restarts, and repeats. Every acknowledged number must be stored exactly once;
 * a number whose request was cut off may be stored at most once.
 */
async function crashRounds(
  env: Record<string, string>,
): Promise<{ acked: Set<number>; sent: Set<number> }> {
  const acked = new Set<number>();
  const sent = new Set<number>();
  let next = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const product = await startHealthyProduct('standalone', env, 60_000);
    const killAfter = 2 + (round % 4);
    let acks = 0;
    let killed = false;
    const client = async (): Promise<void> => {
      while (!killed) {
        const seqs = Array.from({ length: BATCH }, () => next++);
        seqs.forEach((s) => sent.add(s));
        const body = JSON.stringify(
          seqs.map((seq) => ({
            seq,
            log: `round ${round} record ${seq}`,
            level: seq % 7 === 0 ? 'error' : 'info',
          })),
        );
        try {
          const response = await fetch(`${product.url}/api/default/crash/_json`, {
            method: 'POST',
            headers: { authorization: AUTH },
            body,
          });
          if (response.status !== 200)
            throw new Error(`status ${response.status}: ${await response.text()}`);
          const result = (await response.json()) as { status: Array<{ successful: number }> };
          expect(result.status[0]?.successful).toBe(BATCH);
          seqs.forEach((s) => acked.add(s));
          if (++acks >= killAfter && !killed) {
            killed = true;
            product.child.kill('SIGKILL');
          }
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    await Promise.all([client(), client()]);
    await product.exited;
  }
  return { acked, sent };
}

function assertExactlyOnce(stored: number[], acked: Set<number>, sent: Set<number>): void {
  const seen = new Map<number, number>();
  for (const seq of stored) seen.set(seq, (seen.get(seq) ?? 0) + 1);
  const missing = [...acked].filter((s) => !seen.has(s));
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([s]) => s);
  const unknown = [...seen.keys()].filter((s) => !sent.has(s));
  expect({ missing, duplicated, unknown }).toEqual({ missing: [], duplicated: [], unknown: [] });
  expect(acked.size).toBeGreaterThanOrEqual(ROUNDS * 2 * BATCH);
}

describe('no acknowledged record is lost or duplicated across SIGKILLs', () => {
  let dataDir: TempDir;
  let minio: MinioServerHandle;

  beforeAll(async () => {
    dataDir = await makeTempDir('crash');
    minio = await startMinioServer();
  });
  afterAll(async () => {
    await minio.stop();
    await dataDir.remove();
  });

  const finalFlush = async (env: Record<string, string>): Promise<void> => {
    const product = await startHealthyProduct('standalone', env, 60_000);
    const flushed = await fetch(`${product.url}/node/flush`, {
      method: 'PUT',
      headers: { authorization: AUTH },
    });
    expect(flushed.status).toBe(200);
    expect(await product.stop()).toBe(0);
  };

  it('on local disk', async () => {
    const env = {
      ZO_DATA_DIR: `${dataDir.path}/disk/`,
      ...rootUserEnv(),
      ZO_MEM_PERSIST_INTERVAL: '1',
      ZO_FILE_PUSH_INTERVAL: '1',
      RUST_LOG: 'warn',
    };
    const { acked, sent } = await crashRounds(env);
    await finalFlush(env);
    const stored = await storedSeqs(`${dataDir.path}/disk/stream/files/default/logs/crash`);
    assertExactlyOnce(stored, acked, sent);
  }, 600_000);

  it('with MinIO as storage', async () => {
    const bucket = 'crash-test';
    const env = {
      ZO_DATA_DIR: `${dataDir.path}/s3/`,
      ...rootUserEnv(),
      ZO_LOCAL_MODE_STORAGE: 's3',
      ZO_S3_SERVER_URL: minio.endpoint,
      ZO_S3_REGION_NAME: minio.region,
      ZO_S3_ACCESS_KEY: minio.accessKey,
      ZO_S3_SECRET_KEY: minio.secretKey,
      ZO_S3_BUCKET_NAME: bucket,
      ZO_MEM_PERSIST_INTERVAL: '1',
      ZO_FILE_PUSH_INTERVAL: '1',
      RUST_LOG: 'warn',
    };
    const { acked, sent } = await crashRounds(env);
    await finalFlush(env);
    const store = new S3ObjectStore({
      endpoint: minio.endpoint,
      region: minio.region,
      accessKey: minio.accessKey,
      secretKey: minio.secretKey,
      bucket,
      prefix: '',
    });
    const local = `${dataDir.path}/s3-download`;
    for await (const object of store.list('files/default/logs/crash/')) {
      const path = join(local, object.key);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, await store.getBytes(object.key));
    }
    await store.close();
    const stored = await storedSeqs(join(local, 'files/default/logs/crash'));
    assertExactlyOnce(stored, acked, sent);
  }, 600_000);
});
