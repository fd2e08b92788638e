import type { ObjectBody, ObjectMeta, ObjectStore } from '@o2/storage';
import type { Readable } from 'node:stream';

/**
 * A real object store whose deletes fail when `fails` says so — the compactor dying in the
 * middle of a deletion, or a prefix the store refuses — and that remembers how many keys each
 * delete call carried. Everything else goes straight to the real store.
 */
export class FailingDeletes implements ObjectStore {
  /** Keys per deleteMany call, in order (failed calls included). */
  readonly deleteCalls: number[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly fails: (keys: readonly string[], call: number) => boolean,
  ) {}

  async deleteMany(keys: readonly string[]): Promise<void> {
    this.deleteCalls.push(keys.length);
    if (this.fails(keys, this.deleteCalls.length)) throw new Error('injected delete failure');
    await this.store.deleteMany(keys);
  }

  put(key: string, body: ObjectBody): Promise<void> {
    return this.store.put(key, body);
  }
  get(key: string): Promise<Readable> {
    return this.store.get(key);
  }
  getBytes(key: string): Promise<Buffer> {
    return this.store.getBytes(key);
  }
  getRange(key: string, offset: number, length: number): Promise<Buffer> {
    return this.store.getRange(key, offset, length);
  }
  head(key: string): Promise<ObjectMeta | undefined> {
    return this.store.head(key);
  }
  list(prefix: string): AsyncIterable<ObjectMeta> {
    return this.store.list(prefix);
  }
  close(): Promise<void> {
    return this.store.close();
  }
}
