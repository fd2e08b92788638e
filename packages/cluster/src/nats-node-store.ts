import type { KV } from '@nats-io/kv';
import type { ClusterLogger, Subscription } from './cluster.js';
import type { NodeChange, NodeRecord, NodeStore } from './heartbeat-node-registry.js';
import { unavailableOnFailure } from './nats-errors.js';
import { decodeNatsKey, encodeNatsKey } from './nats-key.js';
import { NatsNodeMirror } from './nats-node-mirror.js';

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
  /** Started by the first listing (only nodes that list pay for the watch). */
  #mirror: NatsNodeMirror | undefined;
  #closed = false;

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

  /**
   * Every record as of a moment after the call: from the watched mirror once it has caught up
   * with the bucket's last sequence (one request), else read from the bucket (several).
   */
  all(): Promise<NodeRecord[]> {
    return unavailableOnFailure('node listing', async () => {
      if (!this.#closed && this.#mirror?.usable !== true) {
        void this.#mirror?.close();
        this.#mirror = new NatsNodeMirror(
          this.#kv,
          (key, text) => this.#parse(key, text),
          this.#logger,
        );
      }
      const mirror = this.#mirror;
      if (mirror !== undefined) {
        const lastSeq = (await this.#kv.status()).streamInfo.state.last_seq;
        const records = await mirror.at(lastSeq);
        if (records !== undefined) return records;
      }
      return this.#all();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#mirror?.close();
  }

  async #all(): Promise<NodeRecord[]> {
    // A key written while the listing runs is reported again, hence the set.
    const keys = new Set<string>();
    for await (const key of await this.#kv.keys()) keys.add(key);
    const entries = await Promise.all([...keys].map((key) => this.#kv.get(key)));
    const records: NodeRecord[] = [];
    for (const entry of entries) {
      if (entry?.operation !== 'PUT') continue;
      const record = this.#parse(entry.key, entry.string());
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  #parse(key: string, text: string): NodeRecord | undefined {
    const record = parseRecord(text);
    if (record === undefined) this.#warnMalformed(key);
    return record;
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
