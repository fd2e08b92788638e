import { randomUUID } from 'node:crypto';
import type {
  HotStreamStats,
  IngestRequest,
  IngestResult,
  IngestService,
  IngesterControl,
  QuarantinedPartition,
} from '@o2/domain';
import { isAppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import {
  IngestService as IngestServiceDesc,
  NodeService,
  decodeHotStreamStats,
  decodeIngestResult,
  decodeQuarantinedPartition,
  encodeIngestRequest,
} from '@o2/proto';
import type { ClusterNode } from '@o2/cluster';
import { keyOwnerOrder } from './key-owner-order.js';
import type { PeerClients } from './peer-clients.js';

/** Readiness asks every ingester; one that is slow must not make the probe time out. */
const HEALTH_TIMEOUT_MS = 1_500;

export interface ClusterIngestOptions {
  peers: PeerClients;
  logger: Logger;
  /** Deadline of one ingest call on one ingester, its retries included. */
  timeoutMs: number;
}

/**
 * Ingest and node controls for a router in cluster mode. Each HTTP request gets one request id;
 * the gRPC client resends it to the same ingester after UNAVAILABLE (the ingester answers a
 * known id without storing again), and only when that ingester stays unavailable does the
 * request move to the next live one. That move can duplicate records if the first ingester
 * stored the body and then died before answering — the window is the crash itself.
 *
 * A request with an Idempotency-Key goes to the key's owner (rendezvous hash over the live
 * ingesters), so the client's retries meet the ingester that remembers the key, across its
 * restarts too. Residual window: if the owner is gone from the live list when the retry comes
 * (dead longer than the heartbeat TTL, or unavailable through the resend deadline), the retry
 * goes to the next ingester, which does not know the key and stores the body again; once the
 * owner is back, later retries reach it again and get its first answer.
 */
/**
 * One node per gRPC address: a restarted ingester registers under a new id while its old
 * registration lives on until the heartbeat TTL, so the listing names the same process twice.
 * Asking it twice would count its hot rows (or list its quarantine) twice.
 */
export function oneNodePerAddress(nodes: readonly ClusterNode[]): ClusterNode[] {
  const byAddress = new Map<string, ClusterNode>();
  for (const node of nodes) {
    const known = byAddress.get(node.grpcAddr);
    if (known === undefined || node.heartbeatAt > known.heartbeatAt)
      byAddress.set(node.grpcAddr, node);
  }
  return [...byAddress.values()];
}

export function clusterIngest(options: ClusterIngestOptions): IngestService & IngesterControl {
  const { peers, timeoutMs } = options;
  const logger = options.logger.child({ module: 'cluster-ingest' });

  const everyIngester = async (): Promise<void> => {
    const nodes = await peers.rotation('ingester');
    await Promise.all(
      nodes.map((node) => peers.client(node).service(NodeService).flush({}, { timeoutMs })),
    );
  };

  return {
    async ingest(request: IngestRequest): Promise<IngestResult> {
      const wire = encodeIngestRequest({ requestId: randomUUID(), request });
      const live = await peers.rotation('ingester');
      const nodes =
        request.idempotencyKey === undefined
          ? live
          : keyOwnerOrder(live, request.org, request.idempotencyKey);
      let lastError: unknown;
      for (const node of nodes) {
        try {
          const response = await peers
            .client(node)
            .service(IngestServiceDesc)
            .ingest(wire, { timeoutMs });
          return decodeIngestResult(response);
        } catch (error) {
          if (!isAppError(error) || error.code !== 'UNAVAILABLE') throw error;
          logger.warn({ ingester: node.name, err: error }, 'ingester unavailable, trying the next');
          lastError = error;
        }
      }
      throw lastError;
    },

    flush: everyIngester,

    // Every live ingester's not-yet-stored rows, so stream stats count them at once.
    async hotStats(org: string): Promise<HotStreamStats[]> {
      const nodes = oneNodePerAddress(await peers.rotation('ingester'));
      const answers = await Promise.all(
        nodes.map((node) =>
          peers.client(node).service(NodeService).hotStats({ org }, { timeoutMs }),
        ),
      );
      return answers.flatMap((answer) =>
        answer.streams.map((stats) => decodeHotStreamStats(org, stats)),
      );
    },
    // Flushing every ingester moves the stream's rows into storage, which the caller deletes.
    dropStream: everyIngester,

    // Every live ingester's quarantine; one that does not answer fails the listing (an
    // incomplete list would read as "nothing quarantined there").
    async quarantine(): Promise<QuarantinedPartition[]> {
      const nodes = oneNodePerAddress(await peers.rotation('ingester'));
      const answers = await Promise.all(
        nodes.map(async (node) => ({
          node: node.name,
          answer: await peers.client(node).service(NodeService).quarantine({}, { timeoutMs }),
        })),
      );
      return answers.flatMap(({ node, answer }) =>
        answer.entries.map((entry) => decodeQuarantinedPartition(entry, node)),
      );
    },
    // What each live ingester reports as degraded (e.g. the object store unreachable from it),
    // prefixed with its name. An ingester that does not answer is left out: readiness of
    // this router does not hang on one peer.
    async degradedReasons(): Promise<string[]> {
      const nodes = await peers.rotation('ingester').catch(() => []);
      const answers = await Promise.all(
        nodes.map((node) =>
          peers
            .client(node)
            .service(NodeService)
            .health({}, { timeoutMs: HEALTH_TIMEOUT_MS })
            .then(
              (answer) =>
                answer.checks
                  .filter((c) => !c.ok)
                  .map((c) => `ingester ${node.name}: ${c.message}`),
              () => [],
            ),
        ),
      );
      return answers.flat();
    },
  };
}
