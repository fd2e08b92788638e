import type { Subscription } from './cluster.js';
import type { NodeChange, NodeRecord, NodeStore } from './heartbeat-node-registry.js';
import type { LeaseRecord, LeaseStore, StoredLease } from './lease-elections.js';
import { MemoryEventBus } from './memory-event-bus.js';

/**
 * The shared state behind `MemoryCluster`s: what a NATS server is to `NatsCluster`s. Several
 * MemoryClusters on one hub behave like several processes on one NATS (used by tests).
 */
export class MemoryClusterHub {
  readonly nodes: NodeStore = new MemoryNodeStore();
  readonly leases: LeaseStore = new MemoryLeaseStore();
  readonly kv = new Map<string, string>();
  readonly events = new MemoryEventBus();
}

class MemoryNodeStore implements NodeStore {
  readonly #records = new Map<string, NodeRecord>();
  readonly #watchers = new Set<(change: NodeChange) => void>();

  put(record: NodeRecord): Promise<void> {
    this.#records.set(record.info.id, record);
    this.#notify({ type: 'put', record });
    return Promise.resolve();
  }

  remove(id: string): Promise<void> {
    if (this.#records.delete(id)) this.#notify({ type: 'delete', id });
    return Promise.resolve();
  }

  all(): Promise<NodeRecord[]> {
    // Long-dead records are dropped here, as NATS drops them by the bucket's max age.
    const now = Date.now();
    for (const [id, r] of this.#records)
      if (now - r.heartbeatAt > 4 * r.ttlMs) this.#records.delete(id);
    return Promise.resolve([...this.#records.values()]);
  }

  watch(onChange: (change: NodeChange) => void): Promise<Subscription> {
    for (const record of this.#records.values()) onChange({ type: 'put', record });
    this.#watchers.add(onChange);
    return Promise.resolve({
      unsubscribe: () => {
        this.#watchers.delete(onChange);
        return Promise.resolve();
      },
    });
  }

  #notify(change: NodeChange): void {
    for (const watcher of this.#watchers) watcher(change);
  }
}

class MemoryLeaseStore implements LeaseStore {
  readonly #leases = new Map<string, StoredLease>();
  #revision = 0;

  read(name: string): Promise<StoredLease | undefined> {
    const stored = this.#leases.get(name);
    return Promise.resolve(stored === undefined ? undefined : { ...stored });
  }

  create(name: string, record: LeaseRecord): Promise<number | undefined> {
    if (this.#leases.has(name)) return Promise.resolve(undefined);
    return Promise.resolve(this.#write(name, record));
  }

  update(name: string, record: LeaseRecord, revision: number): Promise<number | undefined> {
    if (this.#leases.get(name)?.revision !== revision) return Promise.resolve(undefined);
    return Promise.resolve(this.#write(name, record));
  }

  remove(name: string, revision: number): Promise<void> {
    if (this.#leases.get(name)?.revision === revision) this.#leases.delete(name);
    return Promise.resolve();
  }

  #write(name: string, record: LeaseRecord): number {
    this.#revision += 1;
    this.#leases.set(name, { record: { ...record }, revision: this.#revision });
    return this.#revision;
  }
}
