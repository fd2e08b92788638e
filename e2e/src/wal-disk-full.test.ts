import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, mountSmallDisk } from '@o2/testing';
import type { SmallDisk, TempDir } from '@o2/testing';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from './product-process.js';
import type { ProductProcess } from './product-process.js';
import { storedSeqs } from './stored-seqs.js';

const AUTH = basicAuth(ROOT.email, ROOT.password);
const DISK_BYTES = 4 * 1024 * 1024;
const FILLER_BYTES = 1024 * 1024;
const BATCH = 100;
const STREAM = 'walfull';

// A standalone node whose WAL directory is a real 4 MiB tmpfs. Ingest fills it: the node
// answers 503 with a clear message and Retry-After instead of a 500 or a torn WAL, says why in
// /readyz, and takes records again once space is freed; every acknowledged record is stored
// once and no refused one is.
describe('WAL disk full', () => {
  let disk: SmallDisk;
  let dataDir: TempDir;
  let product: ProductProcess;
  let next = 0;
  const acked = new Set<number>();

  const post = async () => {
    const seqs = Array.from({ length: BATCH }, () => next++);
    const body = JSON.stringify(
      seqs.map((seq) => ({ seq, log: `record ${seq} ${'x'.repeat(400)}` })),
    );
    const response = await fetch(`${product.url}/api/default/${STREAM}/_json`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    if (response.status === 200) for (const seq of seqs) acked.add(seq);
    return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
  };

  beforeAll(async () => {
    disk = await mountSmallDisk(DISK_BYTES);
    dataDir = await makeTempDir('walfull');
    // Room an operator can give back later.
    await writeFile(join(disk.path, 'filler'), Buffer.alloc(FILLER_BYTES));
    product = await startHealthyProduct(
      'standalone',
      {
        ZO_DATA_DIR: `${dataDir.path}/`,
        ZO_DATA_WAL_DIR: `${disk.path}/wal/`,
        ...rootUserEnv(),
        // Rows stay in the WAL and memory until the test flushes.
        ZO_MEM_PERSIST_INTERVAL: '3600',
        ZO_FILE_PUSH_INTERVAL: '3600',
      },
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await product?.stop();
    await dataDir?.remove();
    await disk?.remove();
  }, 60_000);

  it('answers 503 "write-ahead log disk is full" with Retry-After, then recovers', async () => {
    let refusal: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 200 && refusal === undefined; i++) {
      const answer = await post();
      if (answer.status !== 200) refusal = answer;
    }
    expect(acked.size).toBeGreaterThan(0);
    expect(refusal?.status, refusal?.text).toBe(503);
    expect(JSON.parse(refusal?.text ?? '{}')).toEqual({
      code: 503,
      message: expect.stringMatching(/^write-ahead log disk is full/) as string,
    });
    expect(refusal?.retryAfter).toBe('2');
    // Readiness names the WAL disk while it is full.
    const ready = await fetch(`${product.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'degraded',
      reasons: [expect.stringMatching(/^write-ahead log disk is full/) as string],
    });

    await rm(join(disk.path, 'filler'));
    const after = await post();
    expect(after.status, after.text).toBe(200);
    expect((await fetch(`${product.url}/readyz`)).status).toBe(200);

    const flushed = await fetch(`${product.url}/node/flush`, {
      method: 'PUT',
      headers: { authorization: AUTH },
    });
    expect(flushed.status, await flushed.text()).toBe(200);
    const stored = await storedSeqs(`${dataDir.path}/stream/files/default/logs/${STREAM}`);
    // Exactly the acknowledged records, each once: the refused requests left nothing behind.
    expect(stored.length).toBe(acked.size);
    expect(new Set(stored)).toEqual(acked);
  }, 120_000);
});
