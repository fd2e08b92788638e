import type { NodeRole } from '@o2/config';
import { AppError } from '@o2/errors';
import type {
  ListNodesOptions,
  ClusterLogger,
  ClusterNode,
  NodeEvent,
  NodeInfo,
  NodeRegistration,
  NodeRegistry,
  Subscription,
} from './cluster.js';
import { backgroundTimeout } from './background.js';
import { validateNonEmpty } from './validate.js';

/** What a backend stores per node: the writer's TTL travels with the record. */
export interface NodeRecord {
  info: NodeInfo;
  heartbeatAt: number;
  ttlMs: number;
}

export type NodeChange = { type: 'put'; record: NodeRecord } | { type: 'delete'; id: string };

/** The storage a backend provides; liveness, heartbeats and watch semantics live above it. */
export interface NodeStore {
  put(record: NodeRecord): Promise<void>;
  remove(id: string): Promise<void>;
  all(): Promise<NodeRecord[]>;
  /** Delivers the current records first, then every change. */
  watch(onChange: (change: NodeChange) => void): Promise<Subscription>;
  /** Releases what the store keeps open for listings (a watched copy). */
  close?(): Promise<void>;
}

export interface HeartbeatNodeRegistryOptions {
  ttlMs: number;
  logger?: ClusterLogger;
}

/** How long `list()` waits for the store before answering from the last listing. */
const LISTING_PATIENCE_MS = 2_000;

function isLive(record: NodeRecord, now: number): boolean {
  return now - record.heartbeatAt < record.ttlMs;
}

function toNode(record: NodeRecord): ClusterNode {
  return { ...record.info, heartbeatAt: record.heartbeatAt };
}

/**
 * Node registry over any `NodeStore`. A node counts as gone as soon as its heartbeat is older
 * than its TTL, whether or not the backend has expired the record yet, so every backend
 * reports departures at the same moment.
 */
export class HeartbeatNodeRegistry implements NodeRegistry {
  readonly #store: NodeStore;
  readonly #ttlMs: number;
  readonly #logger: ClusterLogger | undefined;
  readonly #heartbeats = new Set<Heartbeat>();
  readonly #watches = new Set<Subscription>();
  /** The last listing the store gave, served while the store is unreachable. */
  #lastRecords: NodeRecord[] | undefined;
  /** When `#lastRecords` was read from the store (Date.now() ms). */
  #lastAt = 0;
  #closed = false;

  constructor(store: NodeStore, options: HeartbeatNodeRegistryOptions) {
    if (!(options.ttlMs > 0)) throw AppError.invalidArgument('node TTL must be positive');
    this.#store = store;
    this.#ttlMs = options.ttlMs;
    this.#logger = options.logger;
  }

  async register(info: NodeInfo): Promise<NodeRegistration> {
    this.#assertOpen();
    validateNonEmpty('node id', info.id);
    if (info.roles.length === 0) throw AppError.invalidArgument('a node needs at least one role');
    const heartbeat = new Heartbeat(
      this.#store,
      { ...info, roles: [...info.roles] },
      this.#ttlMs,
      this.#logger,
    );
    await heartbeat.start();
    this.#heartbeats.add(heartbeat);
    let deregistered: Promise<void> | undefined;
    return {
      info,
      deregister: () =>
        (deregistered ??= (async () => {
          this.#heartbeats.delete(heartbeat);
          await heartbeat.stop();
          await this.#store.remove(info.id);
        })()),
    };
  }

  async list(role?: NodeRole, options: ListNodesOptions = {}): Promise<ClusterNode[]> {
    this.#assertOpen();
    const last = this.#lastRecords;
    const maxAge = options.maxAgeMs;
    if (last !== undefined && maxAge !== undefined && Date.now() - this.#lastAt <= maxAge) {
      const nodes = this.#live(last, role, options);
      // None of the role in the kept listing: one may have just joined, ask the store.
      if (nodes.length > 0) return nodes;
    }
    const records = await this.#records();
    return this.#live(records, role, options);
  }

  #live(records: readonly NodeRecord[], role: NodeRole | undefined, options: ListNodesOptions) {
    const now = Date.now() - (options.staleGraceMs ?? 0);
    return records
      .filter((r) => isLive(r, now) && (role === undefined || r.info.roles.includes(role)))
      .map(toNode)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async watch(listener: (event: NodeEvent) => void): Promise<Subscription> {
    this.#assertOpen();
    const known = new Map<string, NodeRecord>();
    let stopped = false;
    const emit = (event: NodeEvent): void => {
      try {
        listener(event);
      } catch (err) {
        this.#logger?.warn({ err, node: event.node.id }, 'node watch listener failed');
      }
    };
    const depart = (id: string): void => {
      const record = known.get(id);
      if (record === undefined) return;
      known.delete(id);
      emit({ type: 'left', node: toNode(record) });
    };
    const onChange = (change: NodeChange): void => {
      if (stopped) return;
      if (change.type === 'delete') return depart(change.id);
      const { record } = change;
      if (!isLive(record, Date.now())) return depart(record.info.id);
      const joined = !known.has(record.info.id);
      known.set(record.info.id, record);
      if (joined) emit({ type: 'joined', node: toNode(record) });
    };
    // Records that simply stop being refreshed produce no change at all; a sweep notices them.
    let sweep: NodeJS.Timeout | undefined;
    const scheduleSweep = (): void => {
      sweep = backgroundTimeout(
        () => {
          const now = Date.now();
          for (const [id, record] of known) if (!isLive(record, now)) depart(id);
          if (!stopped) scheduleSweep();
        },
        Math.max(50, Math.floor(this.#ttlMs / 4)),
      );
    };
    const storeWatch = await this.#store.watch(onChange);
    scheduleSweep();
    let unsubscribed: Promise<void> | undefined;
    const subscription: Subscription = {
      unsubscribe: () =>
        (unsubscribed ??= (async () => {
          stopped = true;
          clearTimeout(sweep);
          this.#watches.delete(subscription);
          await storeWatch.unsubscribe();
        })()),
    };
    this.#watches.add(subscription);
    return subscription;
  }

  /**
   * The store's records; while the store is unreachable (NATS restarting) the last listing
   * stands in, so peers keep being found for as long as their heartbeats, judged against the
   * clock as usual, would still count as live — a coordination blip does not stop ingest.
   */
  async #records(): Promise<NodeRecord[]> {
    const listing = this.#store.all().then((records) => {
      this.#lastAt = Date.now();
      return (this.#lastRecords = records);
    });
    const last = this.#lastRecords;
    if (last === undefined) return listing;
    // A store that is away may not fail at once (NATS buffers while reconnecting): after a
    // short wait the last listing answers, and the late listing still refreshes it.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = backgroundTimeout(() => resolve('late'), LISTING_PATIENCE_MS);
    });
    try {
      const outcome = await Promise.race([listing, late]);
      if (outcome !== 'late') return outcome;
      this.#logger?.warn({}, 'node registry slow to answer; using the last listing');
    } catch (err) {
      this.#logger?.warn({ err }, 'node registry unreachable; using the last listing');
    } finally {
      clearTimeout(timer);
    }
    listing.catch(() => undefined);
    return last;
  }

  /** Abandons registrations (they expire by TTL) and ends watches. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#heartbeats].map((h) => h.stop()));
    this.#heartbeats.clear();
    await Promise.all([...this.#watches].map((w) => w.unsubscribe()));
    await this.#store.close?.();
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('UNAVAILABLE', 'cluster client is closed');
  }
}

class Heartbeat {
  readonly #store: NodeStore;
  readonly #info: NodeInfo;
  readonly #ttlMs: number;
  readonly #logger: ClusterLogger | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(store: NodeStore, info: NodeInfo, ttlMs: number, logger: ClusterLogger | undefined) {
    this.#store = store;
    this.#info = info;
    this.#ttlMs = ttlMs;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    await this.#beat();
    this.#schedule();
  }

  /** Waits for a heartbeat in flight so it cannot land after the caller removes the node. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#inFlight;
  }

  #beat(): Promise<void> {
    return this.#store.put({ info: this.#info, heartbeatAt: Date.now(), ttlMs: this.#ttlMs });
  }

  #schedule(): void {
    this.#timer = backgroundTimeout(
      () => {
        this.#inFlight = this.#beat()
          .catch((err: unknown) =>
            this.#logger?.warn({ err, node: this.#info.id }, 'node heartbeat failed'),
          )
          .then(() => {
            if (!this.#stopped) this.#schedule();
          });
      },
      Math.max(10, Math.floor(this.#ttlMs / 3)),
    );
  }
}
