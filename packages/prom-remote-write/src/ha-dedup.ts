import { BoundedMap } from '@o2/bounded-map';

/**
 * High-availability dedup for remote write (O2-CONTRACT §8.1, as O2 and Cortex do it): HA
 * Prometheus pairs scrape the same targets and send the same series, told apart only by a
 * replica label. Per (org, cluster label value) one replica is the leader and only its samples
 * are kept; when the leader has sent nothing for the election interval, the next replica that
 * writes takes over.
 *
 * State is per process: a cluster with several routers would elect independently on each one
 * (see the README for how shared state would work).
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
}

interface Leader {
  replica: string;
  lastSeenMs: number;
}

const DEFAULT_MAX_CLUSTERS = 100_000;

export class HaDedup {
  readonly enabled: boolean;
  readonly clusterLabel: string;
  readonly replicaLabel: string;
  private readonly electionIntervalMs: number;
  private readonly now: () => number;
  private readonly leaders: BoundedMap<string, Leader>;

  constructor(options: HaDedupOptions) {
    this.enabled = options.enabled;
    this.clusterLabel = options.clusterLabel;
    this.replicaLabel = options.replicaLabel;
    this.electionIntervalMs = options.electionIntervalMs;
    this.now = options.now ?? Date.now;
    this.leaders = new BoundedMap(options.maxClusters ?? DEFAULT_MAX_CLUSTERS);
  }

  /**
   * Whether samples that `replica` sends for `cluster` are kept. The first replica seen leads;
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
