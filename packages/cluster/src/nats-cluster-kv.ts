import type { KV } from '@nats-io/kv';
import type { ClusterKv } from './cluster.js';
import { decodeNatsKey, encodeNatsKey } from './nats-key.js';
import { validateNonEmpty } from './validate.js';
import { unavailableOnFailure } from './nats-errors.js';

/** `ClusterKv` over the `{prefix}kv` bucket; any string is a valid key (see nats-key.ts). */
export class NatsClusterKv implements ClusterKv {
  readonly #kv: KV;

  constructor(kv: KV) {
    this.#kv = kv;
  }

  get(key: string): Promise<string | undefined> {
    return unavailableOnFailure('kv get', async () => {
      validateNonEmpty('key', key);
      const entry = await this.#kv.get(encodeNatsKey(key));
      return entry?.operation === 'PUT' ? entry.string() : undefined;
    });
  }

  put(key: string, value: string): Promise<void> {
    return unavailableOnFailure('kv put', async () => {
      validateNonEmpty('key', key);
      await this.#kv.put(encodeNatsKey(key), value);
    });
  }

  delete(key: string): Promise<void> {
    return unavailableOnFailure('kv delete', async () => {
      validateNonEmpty('key', key);
      await this.#kv.delete(encodeNatsKey(key));
    });
  }

  keys(prefix = ''): Promise<string[]> {
    return unavailableOnFailure('kv keys', async () => {
      // NATS filters by whole tokens only, so the string prefix is applied here; a key written
      // while the listing runs is reported again, hence the set.
      const keys = new Set<string>();
      for await (const encoded of await this.#kv.keys()) {
        const key = decodeNatsKey(encoded);
        if (key.startsWith(prefix)) keys.add(key);
      }
      return [...keys].sort();
    });
  }
}
