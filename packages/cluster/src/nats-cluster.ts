import {
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import { connect, nanos } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { AppError } from '@o2/errors';
import type { Cluster, ClusterLogger } from './cluster.js';
import { HeartbeatNodeRegistry } from './heartbeat-node-registry.js';
import { LeaseElections } from './lease-elections.js';
import { NatsClusterKv } from './nats-cluster-kv.js';
import { NatsEvents } from './nats-events.js';
import { NatsLeaseStore } from './nats-lease-store.js';
import { NatsNodeStore } from './nats-node-store.js';

export interface NatsClusterOptions {
  /** `host:port` or `nats://host:port`, one or several. */
  servers: string | string[];
  /** Prefix of every bucket and stream, so several clusters can share one NATS. Default `o2_`. */
  prefix?: string;
  user?: string;
  password?: string;
  /** JetStream replicas; capped to 1 when the server is not clustered. Default 1. */
  replicas?: number;
  /** Default 5 s. */
  connectTimeoutMs?: number;
  /** Node heartbeat TTL, also the max age of the nodes bucket. Default 30 s. */
  nodeTtlMs?: number;
  /** Storage of the events stream. Default `file`. */
  eventStorage?: 'file' | 'memory';
  /** How long events are kept for durable consumers that are away. Default 7 days. */
  eventMaxAgeMs?: number;
  logger?: ClusterLogger;
}

/**
 * Backstop expiry of lease records whose holder vanished; live holders rewrite theirs every
 * TTL/3, so this also bounds the longest lease TTL (see LeaseElections).
 */
const LEASE_BUCKET_MAX_AGE_MS = 60 * 60_000;
const DEFAULT_EVENT_MAX_AGE_MS = 7 * 24 * 60 * 60_000;
const PREFIX = /^[A-Za-z0-9_-]*$/;

/** Connection URLs may carry credentials; they must never reach a log or an error message. */
function redact(servers: readonly string[]): string {
  return servers.map((s) => s.replace(/\/\/[^@/]*@/, '//***@')).join(',');
}

/** Connects to NATS, creates the buckets and stream when missing, and returns the cluster. */
export async function connectNatsCluster(options: NatsClusterOptions): Promise<NatsCluster> {
  const prefix = options.prefix ?? 'o2_';
  if (!PREFIX.test(prefix)) {
    throw AppError.invalidArgument(`invalid NATS prefix "${prefix}": use letters, digits, _ and -`);
  }
  const servers = (Array.isArray(options.servers) ? options.servers : [options.servers])
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (servers.length === 0) throw AppError.invalidArgument('no NATS server address given');
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      ...(options.user ? { user: options.user, pass: options.password ?? '' } : {}),
      timeout: options.connectTimeoutMs ?? 5_000,
      name: `o2ts-${prefix}`,
      // A service outlives NATS restarts: keep reconnecting rather than dying.
      maxReconnectAttempts: -1,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('UNAVAILABLE', `cannot connect to NATS at ${redact(servers)}: ${reason}`, {
      cause: err,
    });
  }
  try {
    return await setUp(nc, prefix, options);
  } catch (err) {
    await nc.close().catch(() => undefined);
    if (err instanceof AppError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError(
      'UNAVAILABLE',
      `cannot set up JetStream on NATS at ${redact(servers)}: ${reason}`,
      {
        cause: err,
      },
    );
  }
}

/** `Cluster` over NATS JetStream: KV buckets for nodes, leases and kv, a stream for events. */
export class NatsCluster implements Cluster {
  readonly nodes: HeartbeatNodeRegistry;
  readonly leases: LeaseElections;
  readonly events: NatsEvents;
  readonly kv: NatsClusterKv;
  readonly #nc: NatsConnection;
  #closing: Promise<void> | undefined;

  /** Built by `connectNatsCluster`, which also creates what the parts need on the server. */
  constructor(nc: NatsConnection, parts: Pick<NatsCluster, 'nodes' | 'leases' | 'events' | 'kv'>) {
    this.#nc = nc;
    this.nodes = parts.nodes;
    this.leases = parts.leases;
    this.events = parts.events;
    this.kv = parts.kv;
  }

  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      // Heartbeats and campaigns stop at once; their requests in flight end with the connection
      // instead of waiting out a timeout when NATS is unreachable.
      const stopping = Promise.all([this.nodes.close(), this.leases.close()]);
      await this.events.close();
      await this.#nc.close();
      await stopping;
    })());
  }
}

async function setUp(
  nc: NatsConnection,
  prefix: string,
  options: NatsClusterOptions,
): Promise<NatsCluster> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const kvm = new Kvm(js);
  const replicas = nc.info?.cluster === undefined ? 1 : Math.max(1, options.replicas ?? 1);
  const nodeTtlMs = options.nodeTtlMs ?? 30_000;
  const { logger } = options;
  // Records outlive the TTL (4×) so a caller can still find a node whose heartbeat is late.
  const nodesKv = await openBucket(kvm, jsm, `${prefix}nodes`, replicas, 4 * nodeTtlMs);
  const leasesKv = await openBucket(kvm, jsm, `${prefix}leases`, replicas, LEASE_BUCKET_MAX_AGE_MS);
  const kv = await openBucket(kvm, jsm, `${prefix}kv`, replicas, 0);
  const stream = `${prefix}events`;
  await ensureEventStream(jsm, stream, {
    replicas,
    storage: options.eventStorage === 'memory' ? StorageType.Memory : StorageType.File,
    maxAgeMs: options.eventMaxAgeMs ?? DEFAULT_EVENT_MAX_AGE_MS,
  });
  return new NatsCluster(nc, {
    nodes: new HeartbeatNodeRegistry(new NatsNodeStore(nodesKv, logger), {
      ttlMs: nodeTtlMs,
      logger,
    }),
    leases: new LeaseElections(new NatsLeaseStore(leasesKv), {
      logger,
      maxTtlMs: LEASE_BUCKET_MAX_AGE_MS / 2,
    }),
    events: new NatsEvents({ nc, js, jsm, stream, logger }),
    kv: new NatsClusterKv(kv),
  });
}

/**
 * Opens or creates a KV bucket. An existing bucket whose max age differs (say the heartbeat TTL
 * was raised) is updated, or records would vanish before their TTL.
 */
async function openBucket(
  kvm: Kvm,
  jsm: JetStreamManager,
  name: string,
  replicas: number,
  maxAgeMs: number,
): Promise<KV> {
  const kv = await kvm.create(name, { history: 1, replicas, ttl: maxAgeMs });
  const streamName = `KV_${name}`;
  const info = await jsm.streams.info(streamName);
  if (info.config.max_age !== nanos(maxAgeMs)) {
    await jsm.streams.update(streamName, { ...info.config, max_age: nanos(maxAgeMs) });
  }
  return kv;
}

async function ensureEventStream(
  jsm: JetStreamManager,
  name: string,
  config: { replicas: number; storage: StorageType; maxAgeMs: number },
): Promise<void> {
  try {
    await jsm.streams.info(name);
    return;
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound))
      throw err;
  }
  await jsm.streams.add({
    name,
    subjects: [`${name}.>`],
    retention: RetentionPolicy.Limits,
    storage: config.storage,
    num_replicas: config.replicas,
    max_age: nanos(config.maxAgeMs),
  });
}
