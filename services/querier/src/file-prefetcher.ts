import type { Cluster, NodeInfo, Subscription } from '@o2/cluster';
import { FILE_ADDED_TOPIC, subscribeEvent } from '@o2/domain';
import type { EventPayload } from '@o2/domain';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type { FileCache } from './file-cache.js';
import { querierAddresses } from './querier-addresses.js';
import { rendezvousOwner } from './rendezvous-owner.js';

/** Kept for the tests and callers that import it from here; the topic is @o2/domain's. */
export { FILE_ADDED_TOPIC };

export interface FilePrefetcherOptions {
  cluster: Cluster;
  /** This querier: it prefetches the keys it owns among the live queriers. */
  self: Pick<NodeInfo, 'name' | 'grpcAddr'>;
  fileCache: FileCache;
  logger: Logger;
  /** Downloads at once (default 4): prefetch must not starve the queries' own downloads. */
  concurrency?: number;
  /** Keys waiting past this are dropped (default 10 000): the query downloads them on demand. */
  maxQueued?: number;
}

/**
 * Warms the disk cache for new files: on each `file.added` event, the querier that owns the
 * key by rendezvous hashing — the one the leader's split will send that file to — downloads it
 * in the background, so the first search over fresh data does not wait for S3. The event is
 * non-durable: a missed event only costs that download at query time. Errors are logged, never
 * thrown.
 */
export class FilePrefetcher implements Lifecycle {
  readonly name = 'file-prefetcher';
  private readonly logger: Logger;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<Promise<void>>();
  private subscription: Subscription | undefined;
  private stopped = false;

  constructor(private readonly options: FilePrefetcherOptions) {
    this.logger = options.logger.child({ module: 'file-prefetcher' });
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.maxQueued = options.maxQueued ?? 10_000;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.subscription = await subscribeEvent(
      this.options.cluster.events,
      FILE_ADDED_TOPIC,
      (payload) => this.onFileAdded(payload),
      { logger: this.logger },
    );
  }

  /** Stops listening, drops what is queued and waits for the downloads in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.queue.length = 0;
    this.queued.clear();
    await Promise.all([...this.active]);
  }

  /** Resolves once every queued and running prefetch has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active]);
  }

  private async onFileAdded({ key }: EventPayload<typeof FILE_ADDED_TOPIC>): Promise<void> {
    try {
      const { cluster, self } = this.options;
      const addresses = [...(await querierAddresses(cluster, self)).keys()];
      if (rendezvousOwner(key, addresses) !== self.grpcAddr) return;
    } catch (error) {
      this.logger.warn({ err: error, key }, 'cannot tell the owner of a new file, not prefetching');
      return;
    }
    this.enqueue(key);
  }

  private enqueue(key: string): void {
    if (this.stopped || this.queued.has(key)) return;
    if (this.queue.length >= this.maxQueued) {
      this.logger.warn({ key, queued: this.queue.length }, 'prefetch queue full, dropping');
      return;
    }
    this.queue.push(key);
    this.queued.add(key);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      const run: Promise<void> = this.fetch(key).finally(() => {
        this.active.delete(run);
        this.pump();
      });
      this.active.add(run);
    }
  }

  private async fetch(key: string): Promise<void> {
    try {
      await this.options.fileCache.localPath(key);
      this.logger.debug({ key }, 'prefetched');
    } catch (error) {
      this.logger.warn({ err: error, key }, 'prefetch failed');
    }
  }
}
