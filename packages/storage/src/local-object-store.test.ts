import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@o2/errors';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.js';
import { describeObjectStoreContract } from './object-store.contract.js';

let contractDir: TempDir;
beforeAll(async () => {
  contractDir = await makeTempDir('local-store-contract');
});
afterAll(async () => {
  await contractDir.remove();
});

describeObjectStoreContract('LocalObjectStore', () =>
  Promise.resolve(new LocalObjectStore(join(contractDir.path, 'not-yet-created'))),
);

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : `non-AppError: ${String(error)}`;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('LocalObjectStore on disk', () => {
  let tmp: TempDir;
  let root: string;
  let store: LocalObjectStore;

  beforeAll(async () => {
    tmp = await makeTempDir('local-store');
    root = join(tmp.path, 'stream');
    store = new LocalObjectStore(root);
  });
  afterAll(async () => {
    await store.close();
    await tmp.remove();
  });

  it('maps keys to files under the root and leaves no temp files behind', async () => {
    const key = 'files/default/logs/app/2026/11/28/05/one.parquet';
    await store.put(key, Buffer.from('parquet bytes'));
    await store.put(key, Buffer.from('parquet bytes v2'));
    expect(await readFile(join(root, ...key.split('/')), 'utf8')).toBe('parquet bytes v2');
    expect(await filesUnder(root)).toEqual([key]);
  });

  it('never writes outside the root, whatever the key', async () => {
    const sentinel = join(tmp.path, 'outside.txt');
    for (const key of [
      '../outside.txt',
      'a/../../outside.txt',
      `/${sentinel}`,
      '..\\outside.txt',
    ]) {
      expect(await codeOf(store.put(key, Buffer.from('escaped')))).toBe('INVALID_ARGUMENT');
    }
    expect(existsSync(sentinel)).toBe(false);
  });

  it('hides and refuses the names it uses for writes in flight', async () => {
    await mkdir(join(root, 'crashed'), { recursive: true });
    await writeFile(join(root, 'crashed', '.o2tmp-0123456789abcdef'), 'half a file');
    await store.put('crashed/whole.parquet', Buffer.from('whole'));
    const listed: string[] = [];
    for await (const meta of store.list('crashed/')) listed.push(meta.key);
    expect(listed).toEqual(['crashed/whole.parquet']);
    expect(await codeOf(store.put('crashed/.o2tmp-x', Buffer.from('x')))).toBe('INVALID_ARGUMENT');
  });

  it('removes directories emptied by a delete but keeps the root and non-empty ones', async () => {
    await store.put('prune/2026/11/28/05/a.parquet', Buffer.from('a'));
    await store.put('prune/2026/11/28/06/b.parquet', Buffer.from('b'));
    await store.deleteMany(['prune/2026/11/28/05/a.parquet']);
    expect(existsSync(join(root, 'prune/2026/11/28/05'))).toBe(false);
    expect(existsSync(join(root, 'prune/2026/11/28/06'))).toBe(true);
    await store.deleteMany(['prune/2026/11/28/06/b.parquet']);
    expect(existsSync(join(root, 'prune'))).toBe(false);
    expect(existsSync(root)).toBe(true);
  });

  it('reports CONFLICT when a key would need a file to be a directory or the reverse', async () => {
    await store.put('clash/leaf', Buffer.from('file'));
    expect(await codeOf(store.put('clash/leaf/child', Buffer.from('x')))).toBe('CONFLICT');
    await store.put('clash/dir/child', Buffer.from('x'));
    expect(await codeOf(store.put('clash/dir', Buffer.from('x')))).toBe('CONFLICT');
    expect((await store.getBytes('clash/leaf')).toString()).toBe('file');
    expect(await filesUnder(join(root, 'clash'))).toEqual(['dir/child', 'leaf']);
  });

  it('lists nothing, rather than failing, when the root does not exist yet', async () => {
    const fresh = new LocalObjectStore(join(tmp.path, 'absent'));
    const listed: string[] = [];
    for await (const meta of fresh.list('')) listed.push(meta.key);
    expect(listed).toEqual([]);
    expect(await fresh.head('a/b')).toBeUndefined();
  });
});
