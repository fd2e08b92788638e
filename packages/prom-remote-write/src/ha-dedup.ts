import { BoundedMap } from '@o2/bounded-map';

/**
 * High-availability dedup for remote write (O2-CONTRACT §8.1, as O2 and Cortex do it): HA
 * Prometheus pairs scrape the same targets and send the same series, told apart only by a
 * replica label. Per (org, cluster label value) one replica is the leader and only its samples
 * are kept; when the leader has sent nothing for the election interval, the next replica that
 * writes takes over.
 *
 * Without a `store` the state is this process's alone. With one (the metastore, shared by every
 * ingester of a cluster) the election is cluster-wide: `decide` asks the store, which elects
 * atomically, and remembers the answer briefly so a busy leader costs one store write per
 * `refreshMs`, not one per request.
 */
export interface HaDedupOptions {
  /** ZO_METRICS_DEDUP_ENABLED: when false every sample is admitted. */
  enabled: boolean;
  /** ZO_PROMETHEUS_HA_CLUSTER: the label naming the HA group. */
  clusterLabel: string;
  /** ZO_PROMETHEUS_HA_REPLICA: the label naming the replica inside the group. */
  replicaLabel: string;
  /** ZO_METRICS_LEADER_ELECTION_INTERVAL in ms: leader silence before another replica may win. */
  electionIntervalMs: number;
  /** Milliseconds since the epoch; injected so tests drive the timeline. */
  now?: () => number;
  /** Most (org, cluster) leaders remembered; the oldest is forgotten (and re-elected) past it. */
  maxClusters?: number;
  /** Election state shared by every ingester; absent: per process. */
  store?: HaLeaderStore;
  /**
   * With a store: how long a leader confirmed by the store is admitted without asking it
   * again (default a quarter of the interval, at most 1 s). Its last-seen time in the store is
   * then at most this old while it keeps sending, so no other replica can take over.
   */
  refreshMs?: number;
}

/** The leader of an HA group after an election attempt, and when the store last saw it. */
export interface HaLeader {
  replica: string;
  lastSeenMs: number;
}

/**
 * Shared election state. `elect` is atomic across every caller: `replica` becomes (or stays)
 * the leader of (org, cluster) at `nowMs` when there is none, it leads already, or the leader
 * was last seen more than `intervalMs` before `nowMs`; the answer is the leader afterwards.
 */
export interface HaLeaderStore {
  elect(
    org: string,
    cluster: string,
    replica: string,
    nowMs: number,
    intervalMs: number,
  ): Promise<HaLeader>;
}

interface Leader {
  replica: string;
  lastSeenMs: number;
}

const DEFAULT_MAX_CLUSTERS = 100_000;
const MAX_REFRESH_MS = 1_000;

export class HaDedup {
  readonly enabled: boolean;
  readonly clusterLabel: string;
  readonly replicaLabel: string;
  private readonly electionIntervalMs: number;
  private readonly now: () => number;
  private readonly leaders: BoundedMap<string, Leader>;
  private readonly store: HaLeaderStore | undefined;
  private readonly refreshMs: number;
  /** Store answers per (org, cluster); `lastSeenMs` is the store's. */
  private readonly shared: BoundedMap<string, HaLeader>;
  /** Store calls in flight per (org, cluster, replica), shared by concurrent requests. */
  private readonly inFlight = new Map<string, Promise<HaLeader>>();

  constructor(options: HaDedupOptions) {
    this.enabled = options.enabled;
    this.clusterLabel = options.clusterLabel;
    this.replicaLabel = options.replicaLabel;
    this.electionIntervalMs = options.electionIntervalMs;
    this.now = options.now ?? Date.now;
    this.leaders = new BoundedMap(options.maxClusters ?? DEFAULT_MAX_CLUSTERS);
    this.store = options.store;
    this.refreshMs =
      options.refreshMs ?? Math.min(MAX_REFRESH_MS, Math.floor(options.electionIntervalMs / 4));
    this.shared = new BoundedMap(options.maxClusters ?? DEFAULT_MAX_CLUSTERS);
  }

  /**
   * The verdict for every (cluster, replica) pair of one request, keyed `cluster\0replica`,
   * taken in order (so of two replicas of one group in one request the first decides). At most
   * one store call per (org, cluster) per request: after it, the cached leader answers the rest.
   */
  async verdicts(
    org: string,
    pairs: Iterable<readonly [cluster: string, replica: string]>,
  ): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    for (const [cluster, replica] of pairs) {
      const key = `${cluster}\u0000${replica}`;
      if (!out.has(key)) out.set(key, await this.decide(org, cluster, replica));
    }
    return out;
  }

  /** Whether `replica`'s samples for `cluster` are kept: the shared election when there is a store. */
  async decide(org: string, cluster: string, replica: string): Promise<boolean> {
    if (!this.enabled) return true;
    if (this.store === undefined) return this.admit(org, cluster, replica);
    const key = `${org}\u0000${cluster}`;
    const known = this.shared.get(key);
    if (known !== undefined) {
      const age = this.now() - known.lastSeenMs;
      // The store's last-seen only moves forward, so while the cached leader is younger than
      // the interval no other replica can win there: answer without asking.
      if (known.replica === replica && age < this.refreshMs) return true;
      if (known.replica !== replica && age <= this.electionIntervalMs) return false;
    }
    const flightKey = `${key}\u0000${replica}`;
    let flight = this.inFlight.get(flightKey);
    if (flight === undefined) {
      const store = this.store;
      flight = store
        .elect(org, cluster, replica, this.now(), this.electionIntervalMs)
        .finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    const leader = await flight;
    const cached = this.shared.get(key);
    if (cached === undefined || leader.lastSeenMs >= cached.lastSeenMs)
      this.shared.set(key, leader);
    return leader.replica === replica;
  }

  /**
   * This process's own election (no store), synchronous. The first replica seen leads;
   * the leader's writes keep it leading; another replica wins only once the leader has been
   * silent for longer than the election interval.
   */
  admit(org: string, cluster: string, replica: string): boolean {
    if (!this.enabled) return true;
    const key = `${org}\u0000${cluster}`;
    const now = this.now();
    const leader = this.leaders.get(key);
    if (leader === undefined) {
      this.leaders.set(key, { replica, lastSeenMs: now });
      return true;
    }
    if (leader.replica === replica) {
      leader.lastSeenMs = now;
      return true;
    }
    if (now - leader.lastSeenMs > this.electionIntervalMs) {
      leader.replica = replica;
      leader.lastSeenMs = now;
      return true;
    }
    return false;
  }

  /** The current leader of a cluster, if one was elected. */
  leaderOf(org: string, cluster: string): string | undefined {
    return this.leaders.get(`${org}\u0000${cluster}`)?.replica;
  }
}
