import type { KV } from '@nats-io/kv';
import type { ClusterLogger, Subscription } from './cluster.js';
import type { NodeChange, NodeRecord, NodeStore } from './heartbeat-node-registry.js';
import { unavailableOnFailure } from './nats-errors.js';
import { decodeNatsKey, encodeNatsKey } from './nats-key.js';

function parseRecord(text: string): NodeRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<NodeRecord> | null;
    const info = value?.info;
    if (
      typeof info?.id !== 'string' ||
      !Array.isArray(info.roles) ||
      typeof value?.heartbeatAt !== 'number' ||
      typeof value.ttlMs !== 'number'
    ) {
      return undefined;
    }
    return value as NodeRecord;
  } catch {
    return undefined;
  }
}

/** Node records in the `{prefix}nodes` KV bucket, whose max age expires dead nodes' records. */
export class NatsNodeStore implements NodeStore {
  readonly #kv: KV;
  readonly #logger: ClusterLogger | undefined;

  constructor(kv: KV, logger: ClusterLogger | undefined) {
    this.#kv = kv;
    this.#logger = logger;
  }

  put(record: NodeRecord): Promise<void> {
    return unavailableOnFailure('node heartbeat', async () => {
      await this.#kv.put(encodeNatsKey(record.info.id), JSON.stringify(record));
    });
  }

  remove(id: string): Promise<void> {
    return unavailableOnFailure('node removal', async () => {
      await this.#kv.delete(encodeNatsKey(id));
    });
  }

  all(): Promise<NodeRecord[]> {
    return unavailableOnFailure('node listing', () => this.#all());
  }

  async #all(): Promise<NodeRecord[]> {
    // A key written while the listing runs is reported again, hence the set.
    const keys = new Set<string>();
    for await (const key of await this.#kv.keys()) keys.add(key);
    const entries = await Promise.all([...keys].map((key) => this.#kv.get(key)));
    const records: NodeRecord[] = [];
    for (const entry of entries) {
      if (entry?.operation !== 'PUT') continue;
      const record = parseRecord(entry.string());
      if (record === undefined) this.#warnMalformed(entry.key);
      else records.push(record);
    }
    return records;
  }

  async watch(onChange: (change: NodeChange) => void): Promise<Subscription> {
    const updates = await this.#kv.watch();
    const loop = (async () => {
      for await (const entry of updates) {
        if (entry.operation !== 'PUT') {
          onChange({ type: 'delete', id: decodeNatsKey(entry.key) });
          continue;
        }
        const record = parseRecord(entry.string());
        if (record === undefined) this.#warnMalformed(entry.key);
        else onChange({ type: 'put', record });
      }
    })().catch((err: unknown) => this.#logger?.warn({ err }, 'node watch ended'));
    return {
      unsubscribe: async () => {
        updates.stop();
        await loop;
      },
    };
  }

  #warnMalformed(key: string): void {
    this.#logger?.warn({ node: decodeNatsKey(key) }, 'ignoring malformed node record');
  }
}
