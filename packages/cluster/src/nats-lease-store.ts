import type { KV } from '@nats-io/kv';
import type { LeaseRecord, LeaseStore, StoredLease } from './lease-elections.js';
import { encodeNatsKey, isWrongLastSequence } from './nats-key.js';

/**
 * Leases in the `{prefix}leases` KV bucket: acquire is `create` (fails when the key exists),
 * renew is `update` against the last revision, so JetStream serialises competing writers.
 */
export class NatsLeaseStore implements LeaseStore {
  readonly #kv: KV;

  constructor(kv: KV) {
    this.#kv = kv;
  }

  async read(name: string): Promise<StoredLease | undefined> {
    const entry = await this.#kv.get(encodeNatsKey(name));
    if (entry?.operation !== 'PUT') return undefined;
    const record = parseRecord(entry.string());
    // Unreadable counts as expired, so a campaigner overwrites it instead of waiting forever.
    return { record: record ?? { holderId: '', expiresAt: 0 }, revision: entry.revision };
  }

  create(name: string, record: LeaseRecord): Promise<number | undefined> {
    return lostRaceAsUndefined(this.#kv.create(encodeNatsKey(name), JSON.stringify(record)));
  }

  update(name: string, record: LeaseRecord, revision: number): Promise<number | undefined> {
    return lostRaceAsUndefined(
      this.#kv.update(encodeNatsKey(name), JSON.stringify(record), revision),
    );
  }

  async remove(name: string, revision: number): Promise<void> {
    await lostRaceAsUndefined(this.#kv.delete(encodeNatsKey(name), { previousSeq: revision }));
  }
}

function parseRecord(text: string): LeaseRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LeaseRecord> | null;
    if (typeof value?.holderId !== 'string' || typeof value.expiresAt !== 'number')
      return undefined;
    return { holderId: value.holderId, expiresAt: value.expiresAt };
  } catch {
    return undefined;
  }
}

async function lostRaceAsUndefined<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (err) {
    if (isWrongLastSequence(err)) return undefined;
    throw err;
  }
}
