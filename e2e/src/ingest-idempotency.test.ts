import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from './product-process.js';
import type { ProductProcess } from './product-process.js';
import { storedSeqs } from './stored-seqs.js';

const AUTH = basicAuth(ROOT.email, ROOT.password);
const RECORDS = 40;

/**
 * The built single-node product as a real process: one body sent three times with one
 * Idempotency-Key, a SIGKILL and restart between the 2nd and 3rd send, must be answered the
 * same three times and stored exactly once — whether the kill finds the key in the WAL (rows
 * not persisted yet) or only in the journal (rows flushed to storage, WAL segment dropped).
 */
describe('an Idempotency-Key survives kill -9 of the single-node product', () => {
  let dataDir: TempDir;
  beforeAll(async () => {
    dataDir = await makeTempDir('idempotency');
  });
  afterAll(async () => {
    await dataDir.remove();
  });

  const envFor = (name: string): Record<string, string> => ({
    ZO_DATA_DIR: `${dataDir.path}/${name}/`,
    ...rootUserEnv(),
    // Only PUT /node/flush persists, so the first kill finds the rows in the WAL alone.
    ZO_MEM_PERSIST_INTERVAL: '3600',
    ZO_FILE_PUSH_INTERVAL: '3600',
    RUST_LOG: 'warn',
  });
  const body = JSON.stringify(
    Array.from({ length: RECORDS }, (_, seq) => ({ seq, log: `record ${seq}` })),
  );
  const start = async (env: Record<string, string>): Promise<ProductProcess> => {
    const product = await startHealthyProduct('standalone', env, 60_000);
    return product;
  };
  const send = async (product: ProductProcess, key: string): Promise<string> => {
    const response = await fetch(`${product.url}/api/default/idem/_json`, {
      method: 'POST',
      headers: { authorization: AUTH, 'idempotency-key': key },
      body,
    });
    return `${response.status} ${await response.text()}`;
  };
  const flush = async (product: ProductProcess): Promise<void> => {
    const flushed = await fetch(`${product.url}/node/flush`, {
      method: 'PUT',
      headers: { authorization: AUTH },
    });
    expect(flushed.status).toBe(200);
  };
  const kill = async (product: ProductProcess): Promise<void> => {
    product.child.kill('SIGKILL');
    expect(await product.exited).toBe('SIGKILL');
  };
  const expected = `200 {"code":200,"status":[{"name":"idem","successful":${RECORDS},"failed":0}]}`;
  const allSeqs = Array.from({ length: RECORDS }, (_, seq) => seq);

  it('kill -9 while the rows are only in the WAL', async () => {
    const env = envFor('wal');
    const first = await start(env);
    const answers = [await send(first, 'retry-wal-1'), await send(first, 'retry-wal-1')];
    await kill(first);
    const second = await start(env);
    answers.push(await send(second, 'retry-wal-1'));
    expect(answers).toEqual([expected, expected, expected]);
    await flush(second);
    expect(await second.stop()).toBe(0);
    expect(await storedSeqs(`${dataDir.path}/wal/stream/files/default/logs/idem`)).toEqual(allSeqs);
  }, 180_000);

  it('kill -9 after a flush dropped the WAL segment', async () => {
    const env = envFor('flushed');
    const first = await start(env);
    const answers = [await send(first, 'retry-flushed-1')];
    await flush(first);
    answers.push(await send(first, 'retry-flushed-1'));
    await kill(first);
    const second = await start(env);
    answers.push(await send(second, 'retry-flushed-1'));
    expect(answers).toEqual([expected, expected, expected]);
    // A new key is a new request: stored again (proves the count below can see duplicates).
    expect(await send(second, 'retry-flushed-2')).toBe(expected);
    await flush(second);
    expect(await second.stop()).toBe(0);
    const stored = await storedSeqs(`${dataDir.path}/flushed/stream/files/default/logs/idem`);
    expect(stored).toEqual(allSeqs.flatMap((seq) => [seq, seq]));
  }, 180_000);
});
