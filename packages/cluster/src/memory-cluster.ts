import { AppError } from '@o2/errors';
import type {
  Cluster,
  ClusterKv,
  ClusterLogger,
  EventHandler,
  Events,
  SubscribeOptions,
  Subscription,
} from './cluster.js';
import { settle } from './background.js';
import { HeartbeatNodeRegistry } from './heartbeat-node-registry.js';
import { LeaseElections } from './lease-elections.js';
import { MemoryClusterHub } from './memory-cluster-hub.js';
import { encodePayload, validateDurableName, validateNonEmpty, validateTopic } from './validate.js';

export interface MemoryClusterOptions {
  /** Seconds-scale in production (ZO_NODE_HEARTBEAT_TTL); tests use ~1 s. Default 30 s. */
  nodeTtlMs?: number;
  /** Share one hub between instances to simulate several processes. A fresh hub by default. */
  hub?: MemoryClusterHub;
  logger?: ClusterLogger;
}

/** In-process `Cluster` for single-node mode and tests; same semantics as `NatsCluster`. */
export class MemoryCluster implements Cluster {
  readonly nodes: HeartbeatNodeRegistry;
  readonly leases: LeaseElections;
  readonly events: Events;
  readonly kv: ClusterKv;
  readonly #subscriptions = new Set<Subscription>();
  #closed = false;

  constructor(options: MemoryClusterOptions = {}) {
    const hub = options.hub ?? new MemoryClusterHub();
    const logger = options.logger;
    this.nodes = new HeartbeatNodeRegistry(hub.nodes, {
      ttlMs: options.nodeTtlMs ?? 30_000,
      logger,
    });
    this.leases = new LeaseElections(hub.leases, { logger });
    this.events = {
      publish: (topic, payload) =>
        settle(() => {
          this.#assertOpen();
          validateTopic(topic);
          hub.events.publish(topic, encodePayload(payload));
        }),
      subscribe: (topic: string, handler: EventHandler, options: SubscribeOptions = {}) =>
        settle(() => {
          this.#assertOpen();
          validateTopic(topic);
          if (options.durable !== undefined) validateDurableName(options.durable);
          const inner = hub.events.subscribe(topic, handler, options.durable, logger);
          const subscription: Subscription = {
            unsubscribe: async () => {
              this.#subscriptions.delete(subscription);
              await inner.unsubscribe();
            },
          };
          this.#subscriptions.add(subscription);
          return subscription;
        }),
    };
    const kv = hub.kv;
    this.kv = {
      get: (key) =>
        settle(() => {
          validateNonEmpty('key', key);
          return kv.get(key);
        }),
      put: (key, value) =>
        settle(() => {
          validateNonEmpty('key', key);
          kv.set(key, value);
        }),
      delete: (key) =>
        settle(() => {
          validateNonEmpty('key', key);
          kv.delete(key);
        }),
      keys: (prefix = '') =>
        settle(() => [...kv.keys()].filter((k) => k.startsWith(prefix)).sort()),
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([
      this.nodes.close(),
      this.leases.close(),
      ...[...this.#subscriptions].map((s) => s.unsubscribe()),
    ]);
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('UNAVAILABLE', 'cluster client is closed');
  }
}
