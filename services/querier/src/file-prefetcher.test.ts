import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCluster } from '@o2/cluster';
import { createLogger } from '@o2/logger';
import { LocalObjectStore } from '@o2/storage';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileCache } from './file-cache.js';
import { FILE_ADDED_TOPIC, FilePrefetcher } from './file-prefetcher.js';
import { rendezvousOwner } from './rendezvous-owner.js';

const logger = createLogger({ level: 'silent' });
const self = { name: 'querier-1', grpcAddr: '127.0.0.1:50001' };
const other = { name: 'querier-2', grpcAddr: '127.0.0.1:50002' };
const addresses = [self.grpcAddr, other.grpcAddr];

/** The first `count` object keys of `stream` whose rendezvous owner is `owner`. */
function keysOwnedBy(owner: string, stream: string, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    const key = `files/default/logs/${stream}/2026/11/28/07/f${i}.parquet`;
    if (rendezvousOwner(key, addresses) === owner) keys.push(key);
  }
  return keys;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('FilePrefetcher', () => {
  const cluster = new MemoryCluster();
  let root: string;
  let store: LocalObjectStore;
  let cacheDir: string;
  let prefetcher: FilePrefetcher;

  const publish = (key: string) =>
    cluster.events.publish(FILE_ADDED_TOPIC, { key, org: 'default', records: 1 });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'o2-prefetch-'));
    store = new LocalObjectStore(join(root, 'bucket'));
    cacheDir = join(root, 'cache');
    // The object store stands in for S3: the cache downloads from it into cacheDir.
    const fileCache = new FileCache(store, 's3', join(root, 'stream'), cacheDir, 1024 ** 3);
    for (const node of [self, other])
      await cluster.nodes.register({
        id: node.name,
        name: node.name,
        roles: ['querier'],
        httpAddr: '',
        grpcAddr: node.grpcAddr,
        startedAt: 0,
      });
    prefetcher = new FilePrefetcher({ cluster, self, fileCache, logger, concurrency: 2 });
    await prefetcher.start();
  });

  afterAll(async () => {
    await prefetcher.stop();
    await cluster.close();
    await rm(root, { recursive: true, force: true });
  });

  it('downloads the new files this querier owns into the disk cache, and only those', async () => {
    const [theirs] = keysOwnedBy(other.grpcAddr, 'owned', 1) as [string];
    const mine = keysOwnedBy(self.grpcAddr, 'owned', 3);
    await store.put(theirs, new TextEncoder().encode('theirs'));
    for (const key of mine) await store.put(key, new TextEncoder().encode(`bytes of ${key}`));

    // Handlers run in publish order, so once the last key is cached every decision is made.
    await publish(theirs);
    for (const key of mine) await publish(key);
    await vi.waitFor(async () => {
      expect(await exists(join(cacheDir, mine.at(-1) as string))).toBe(true);
    });
    await prefetcher.idle();

    for (const key of mine)
      expect(await readFile(join(cacheDir, key), 'utf8')).toBe(`bytes of ${key}`);
    expect(await exists(join(cacheDir, theirs))).toBe(false);
  });

  it('logs a failed download or a malformed event and keeps prefetching', async () => {
    const [missing, present] = keysOwnedBy(self.grpcAddr, 'failing', 2) as [string, string];
    await store.put(present, new TextEncoder().encode('present'));

    await cluster.events.publish(FILE_ADDED_TOPIC, { file: 'no key' });
    await publish(missing); // registered, but not in the object store
    await publish(present);
    await vi.waitFor(async () => {
      expect(await exists(join(cacheDir, present))).toBe(true);
    });
    await prefetcher.idle();

    expect(await exists(join(cacheDir, missing))).toBe(false);
    expect(await readFile(join(cacheDir, present), 'utf8')).toBe('present');
  });
});
