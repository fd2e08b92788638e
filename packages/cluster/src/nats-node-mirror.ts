import type { KV } from '@nats-io/kv';
import type { ClusterLogger } from './cluster.js';
import type { NodeRecord } from './heartbeat-node-registry.js';

/**
 * How long a listing waits for the watch to deliver up to the bucket's last sequence before it
 * reads the bucket itself. Deliveries trail the write by well under a millisecond on a healthy
 * connection; a wait this long means the watch is stuck, so the mirror is restarted.
 */
const CATCH_UP_MS = 250;

/**
 * The nodes bucket kept in memory by a watch, so that a listing costs one request (the bucket's
 * last sequence) instead of several (a consumer for the keys, then a get per key). The copy
 * answers only once its watch has delivered every message up to that sequence, read after the
 * listing began: any node registered before then — an ingester that acknowledged rows before a
 * query started was registered before the router could send it any — is in it. The watch
 * delivers the last message per key in sequence order, then every change, so having seen
 * sequence n means having seen every key's state as of n.
 */
export class NatsNodeMirror {
  readonly #records = new Map<string, NodeRecord>();
  readonly #waiters = new Set<{ seq: number; done: (reached: boolean) => void }>();
  #revision = 0;
  #dead = false;
  #stop: (() => void) | undefined;
  #loop: Promise<void> = Promise.resolve();

  constructor(
    kv: KV,
    parse: (key: string, text: string) => NodeRecord | undefined,
    logger: ClusterLogger | undefined,
  ) {
    this.#loop = (async () => {
      const updates = await kv.watch();
      this.#stop = () => updates.stop();
      if (this.#dead) updates.stop();
      for await (const entry of updates) {
        const record = entry.operation === 'PUT' ? parse(entry.key, entry.string()) : undefined;
        if (record === undefined) this.#records.delete(entry.key);
        else this.#records.set(entry.key, record);
        this.#revision = Math.max(this.#revision, entry.revision);
        for (const waiter of this.#waiters) if (waiter.seq <= this.#revision) waiter.done(true);
      }
    })()
      .catch((err: unknown) => logger?.warn({ err }, 'node mirror watch ended'))
      .finally(() => this.#end());
  }

  /** False once the watch ended or fell behind: the owner starts another. */
  get usable(): boolean {
    return !this.#dead;
  }

  /**
   * The records once the watch has delivered sequence `seq`; undefined when it does not within
   * `CATCH_UP_MS` (the mirror is then closed) or has ended.
   */
  async at(seq: number): Promise<NodeRecord[] | undefined> {
    if (this.#dead) return undefined;
    if (this.#revision < seq) {
      const reached = await new Promise<boolean>((resolve) => {
        const waiter = {
          seq,
          done: (ok: boolean) => {
            clearTimeout(timer);
            this.#waiters.delete(waiter);
            resolve(ok);
          },
        };
        const timer = setTimeout(() => waiter.done(false), CATCH_UP_MS);
        timer.unref();
        this.#waiters.add(waiter);
      });
      if (!reached) {
        this.#end();
        return undefined;
      }
    }
    return [...this.#records.values()];
  }

  /** Ends the watch; pending listings fall back to reading the bucket. */
  close(): Promise<void> {
    this.#end();
    return this.#loop;
  }

  #end(): void {
    this.#dead = true;
    this.#stop?.();
    for (const waiter of this.#waiters) waiter.done(false);
  }
}
