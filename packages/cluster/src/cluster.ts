import type { NodeRole } from '@o2/config';

/**
 * Coordination between O2TS processes: who is alive (nodes), who leads a singleton job
 * (leases), what happened (events) and a little shared state (kv). `MemoryCluster` serves a
 * single process; `NatsCluster` serves a cluster through NATS JetStream.
 */
export interface Cluster {
  readonly nodes: NodeRegistry;
  readonly leases: Leases;
  readonly events: Events;
  readonly kv: ClusterKv;
  /**
   * Stops heartbeats, campaigns and subscriptions and disconnects. Registrations and held
   * leases are abandoned, not removed: they expire by TTL as after a crash. Call
   * `deregister()` / `resign()` first for a clean exit.
   */
  close(): Promise<void>;
}

export interface NodeInfo {
  /** Unique per process; a restarted process may reuse its id (it simply overwrites). */
  id: string;
  name: string;
  roles: readonly NodeRole[];
  httpAddr: string;
  grpcAddr: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
}

export interface ClusterNode extends NodeInfo {
  /** When the node last proved it is alive (its own clock, ms since the epoch). */
  heartbeatAt: number;
}

export interface ListNodesOptions {
  /**
   * Also list nodes whose last heartbeat is up to this many ms older than the TTL. For callers
   * that must not silently skip a node that is merely slow (a query needing every ingester's
   * rows); they should treat such a node's failure as "gone", not as an error. Records are kept
   * at least 4 × TTL, so graces beyond 3 × TTL add nothing.
   */
  staleGraceMs?: number;
  /**
   * Answer from this registry's last listing when it is at most this many ms old (liveness is
   * still judged against the clock now). A listing is several store round trips; a caller on a
   * query's path that copes with a departed node (UNAVAILABLE moves on) and can miss a node that
   * joined a moment ago for that long passes it. Absent: always read the store.
   */
  maxAgeMs?: number;
}

export interface NodeRegistration {
  readonly info: NodeInfo;
  /** Stops heartbeating and removes the node; watchers see it leave at once. */
  deregister(): Promise<void>;
}

export type NodeEvent = { type: 'joined'; node: ClusterNode } | { type: 'left'; node: ClusterNode };

export interface NodeRegistry {
  /** Registers the node and heartbeats every TTL/3 until deregistered or closed. */
  register(info: NodeInfo): Promise<NodeRegistration>;
  /** Live nodes only (heartbeat younger than the TTL), optionally with a role, by name. */
  list(role?: NodeRole, options?: ListNodesOptions): Promise<ClusterNode[]>;
  /**
   * Reports every live node as joined first, then joins and departures (deregistered or
   * stopped heartbeating) as they happen.
   */
  watch(listener: (event: NodeEvent) => void): Promise<Subscription>;
}

export interface CampaignOptions {
  /** How long a lease stays valid without renewal; the holder renews every ttlMs/3. */
  ttlMs: number;
  /** How often a non-holder retries to acquire (default ttlMs/3). */
  retryMs?: number;
  onElected?: () => void | Promise<void>;
  /** Called when leadership is lost involuntarily (renewal refused or not confirmed in time). */
  onLost?: () => void | Promise<void>;
}

export interface Campaign {
  readonly name: string;
  readonly holderId: string;
  isLeader(): boolean;
  /** Stops campaigning and releases the lease if held, so another campaigner takes over now. */
  resign(): Promise<void>;
}

export interface LeaseHolder {
  holderId: string;
  /** Deadline of the current term, ms since the epoch (the holder's clock). */
  expiresAt: number;
}

export interface Leases {
  /** Keeps trying to acquire `name` for `holderId` until `resign()`; at most one holder at a time. */
  campaign(name: string, holderId: string, options: CampaignOptions): Campaign;
  holder(name: string): Promise<LeaseHolder | undefined>;
}

export interface ClusterEvent {
  topic: string;
  /** The JSON-decoded payload as published. */
  payload: unknown;
}

export type EventHandler = (event: ClusterEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /**
   * Names a durable consumer of this topic. It receives every event published since it was
   * first created, including while nobody was subscribed, one at a time and in order; an
   * event is acknowledged when the handler resolves and redelivered when it throws.
   * Subscribers sharing a name share the consumer (each event goes to one of them).
   */
  durable?: string;
}

export interface Events {
  /** Topics are dot-separated words of letters, digits, `_` and `-`. Payloads must be JSON-able. */
  publish(topic: string, payload: unknown): Promise<void>;
  /**
   * Resolves once the subscription is active. Without `durable`, the handler sees the events
   * published while subscribed (in order per publisher, errors logged and dropped).
   */
  subscribe(
    topic: string,
    handler: EventHandler,
    options?: SubscribeOptions,
  ): Promise<Subscription>;
}

export interface Subscription {
  /** Stops delivery and waits for a handler call in progress. */
  unsubscribe(): Promise<void>;
}

/** Small shared string map (settings, cursors); not for bulk data. */
export interface ClusterKv {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix` (all when omitted), sorted. */
  keys(prefix?: string): Promise<string[]>;
}

/** The slice of a pino logger the cluster uses for background failures. */
export interface ClusterLogger {
  warn(obj: object, msg: string): void;
}
