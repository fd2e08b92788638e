import { join } from 'node:path';
import type { Config } from '@o2/config';
import type { IngestRequest, IngestResult } from '@o2/domain';
import { checkOrgId } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import type { Wal } from '@o2/wal';
import { buildResult, conformBatch, startDecoding, walHeaderOf } from './ingest-pipeline.js';
import { appendInSlices, decodeInSlices } from './decode-sliced.js';
import { MB, ingesterLimits, pipelineSettings } from './ingester-settings.js';
import { HaDedup, readWriteRequest } from '@o2/prom-remote-write';
import { haPairsOf } from './decode/decode-remote-write.js';
import type { LiveRemoteWrite } from './decode/decode-remote-write.js';
import type { Memtables } from './memtable/memtables.js';
import { StreamPartitioning } from './partitioning.js';
import type { PartitionKey } from './partitioning.js';
import type { PreparedSchema, StreamSchemas } from './stream-schemas.js';
import type { StreamMetadata } from './stream-metadata.js';
import type { DecodedRequest, StreamBatch } from './ingest-pipeline.js';
import { decodeForReplay } from './replay-entry.js';
import { decodeWalEntry, encodeWalEntry } from './wal-entry.js';
import { decodeRows, encodeRows } from './wal-rows.js';
import { applyPipelines } from './pipelines/apply-pipelines.js';
import type { RealtimePipelines } from './pipelines/realtime-pipelines.js';
import type { IdempotencyStore } from './idempotency/idempotency-store.js';
import type { IdempotencyClaim } from './idempotency/idempotency-store.js';
import type { WriteGate } from './write-gate.js';

/** The metastore kv key (per org) holding an HA group's leader replica and its last write. */
const HA_LEADER_KEY_PREFIX = 'prom_ha_leader/';
/** The longest a request waits for a persist to bring the memtables back within budget. */
const BUDGET_WAIT_MS = 5000;

export interface WritePathOptions {
  config: Config;
  metaStore: MetaStore;
  memtables: Memtables;
  schemas: StreamSchemas;
  streamMetadata: StreamMetadata;
  gate: WriteGate;
  idempotency: IdempotencyStore;
  now: () => number;
  logger: Logger;
  /** Asks for a persist cycle soon (memtables over their limit); must not wait for it. */
  requestPersist: () => void;
  /** Told the rows and body bytes of each request once they are in the WAL and memtables. */
  onStored?: (streamType: IngestRequest['streamType'], rows: number, bytes: number) => void;
  /**
   * Told each stream's rows once they are acknowledged (in the WAL), for live tail; never on
   * replay (those rows were acknowledged before). Must not throw or wait.
   */
  onAcknowledged?: (key: StreamBatch['key'], records: StreamBatch['records']) => void;
  /** The orgs' realtime pipelines; absent → none run. */
  pipelines?: RealtimePipelines;
  /** The longest a request waits for room in the memtable budget (default 5 s). */
  budgetWaitMs?: number;
}

/**
 * The ingest pipeline: limits, decode, org and schema checks, then the WAL append and the
 * memtables under the write gate, and only then the answer. Also rebuilds the memtables from
 * the WAL at start, through the same steps.
 */
export class WritePath {
  private knownOrgs = new Set<string>();
  private readonly partitioning: StreamPartitioning;
  private readonly settings: ReturnType<typeof pipelineSettings>;
  private readonly limits: ReturnType<typeof ingesterLimits>;
  /**
   * Remote write's HA leader election, shared by every ingester through the metastore (the
   * router spreads one Prometheus's requests over all of them), cached briefly here.
   */
  private readonly ha: HaDedup;

  constructor(private readonly options: WritePathOptions) {
    this.partitioning = new StreamPartitioning(options.metaStore, options.now);
    this.settings = pipelineSettings(options.config);
    this.limits = ingesterLimits(options.config);
    const { config } = options;
    this.ha = new HaDedup({
      enabled: config.ZO_METRICS_DEDUP_ENABLED,
      clusterLabel: config.ZO_PROMETHEUS_HA_CLUSTER,
      replicaLabel: config.ZO_PROMETHEUS_HA_REPLICA,
      electionIntervalMs: config.ZO_METRICS_LEADER_ELECTION_INTERVAL * 1000,
      now: options.now,
      store: {
        elect: async (org, cluster, replica, nowMs, intervalMs) => {
          const key = `${HA_LEADER_KEY_PREFIX}${cluster}`;
          const claim = await options.metaStore.kv.claim(org, key, replica, nowMs, intervalMs);
          return { replica: claim.value, lastSeenMs: claim.updatedAt };
        },
      },
    });
  }

  /** Forgets which orgs exist (a restart checks them again). */
  forgetOrgs(): void {
    this.knownOrgs = new Set();
  }

  /** Rebuilds the memtables (and the idempotency keys) from the WAL; returns the rows. */
  async replay(wal: Wal): Promise<number> {
    const { config, schemas, memtables, idempotency, logger } = this.options;
    const context = {
      settings: this.settings,
      logger,
      rejectedDir: join(config.ZO_DATA_WAL_DIR, 'rejected'),
    };
    let rows = 0;
    for await (const { entry, position } of wal.replay()) {
      const { header, body } = decodeWalEntry(entry);
      if (header.idem !== undefined) await idempotency.restore(header.org, header.idem);
      const decoded =
        header.v === 2
          ? decodeRows(header, body)
          : await decodeForReplay(header, body, entry, position, context);
      if (decoded === undefined) continue;
      await this.ensureOrg(header.org);
      await this.storeMetadata(decoded, header.format === 'metrics_json');
      for (const batch of decoded.batches.values()) {
        const { schema, conformed } = await schemas.prepare(batch.key, batch.records);
        if (!conformed) conformBatch(batch, schema, decoded.outcomes);
        memtables.append(
          batch.key,
          schema,
          batch.records,
          batch.ts,
          await this.partitioning.keysFor(batch.key),
        );
        rows += batch.records.length;
      }
    }
    return rows;
  }

  /** Decode, evolve schemas, WAL append (with the key, if any), memtables; then the answer. */
  async write(
    wal: Wal,
    request: IngestRequest,
    claim: IdempotencyClaim | undefined,
  ): Promise<IngestResult> {
    const { config, schemas, memtables, gate, idempotency, now } = this.options;
    const { memLimit, memBudget, memtableLimit } = this.limits;
    const started = now();
    const held = memtables.byteSize();
    if (held > memBudget && held <= memLimit) await this.waitForRoom(held);
    if (held > memLimit) {
      this.options.requestPersist();
      throw new AppError(
        'UNAVAILABLE',
        `memtable is full (${Math.round(held / MB)} MB held, limit ${Math.round(memLimit / MB)} MB); retry shortly`,
        {
          retryAfterSeconds: config.ZO_MEM_PERSIST_INTERVAL,
        },
      );
    }
    const ingestTime = now() * 1000;
    const live = await this.electHaLeaders(request);
    const pipelines = await this.options.pipelines?.forOrg(request.org);
    const divert = pipelines?.sources.get(request.streamType);
    const decoded = await decodeInSlices(
      startDecoding(request, ingestTime, this.settings, new Set(), live, divert),
      config.ZO_INGEST_SLICE_MS,
    );
    if (decoded.diverted !== undefined && pipelines !== undefined) {
      const { org, streamType } = request;
      const stats = applyPipelines(decoded, org, streamType, pipelines.bySource, this.settings);
      if (stats.functionErrors > 0)
        this.options.logger.warn(
          { org: request.org, failed: stats.functionErrors, error: stats.lastFunctionError },
          'pipeline functions failed; those records were stored untransformed',
        );
    }
    if (decoded.batches.size > 0) await this.ensureOrg(request.org);
    const schemaFor = new Map<string, PreparedSchema['schema']>();
    const partitionKeysFor = new Map<string, PartitionKey[]>();
    for (const [stream, batch] of decoded.batches) {
      const { schema, conformed } = await schemas.prepare(batch.key, batch.records);
      if (!conformed) conformBatch(batch, schema, decoded.outcomes);
      schemaFor.set(stream, schema);
      partitionKeysFor.set(stream, await this.partitioning.keysFor(batch.key));
    }
    await this.storeMetadata(decoded, request.format === 'metrics_json');
    const accepted = [...decoded.batches.values()].some((b) => b.records.length > 0);
    if (accepted) {
      const header = walHeaderOf(request, ingestTime, decoded);
      // A keyed answer is fixed before the append: the WAL and the journal keep exactly it.
      const keyed =
        claim === undefined
          ? undefined
          : { claim, at: now(), result: buildResult(request, decoded.outcomes, now() - started) };
      if (keyed !== undefined)
        header.idem = {
          k: keyed.claim.key,
          f: keyed.claim.fingerprint,
          t: keyed.at,
          r: keyed.result,
        };
      // A pipeline's output is kept as rows: a replay must not run changed functions again.
      if (decoded.diverted !== undefined) header.v = 2;
      const walBody = header.v === 2 ? encodeRows(decoded.batches) : request.body;
      // Again after decoding: requests that arrived together must not all pass one old reading.
      const heldNow = memtables.byteSize();
      if (heldNow > memBudget && heldNow <= memLimit) await this.waitForRoom(heldNow);
      await gate.write(async () => {
        await wal.append(encodeWalEntry(header, walBody));
        for (const [stream, batch] of decoded.batches) {
          if (batch.records.length === 0) continue;
          const schema = schemaFor.get(stream) ?? [];
          const keys = partitionKeysFor.get(stream);
          await appendInSlices(memtables, batch, schema, keys, config.ZO_INGEST_SLICE_MS);
        }
        if (keyed !== undefined) await idempotency.record(keyed.claim, keyed.result, keyed.at);
      });
      let rows = 0;
      for (const batch of decoded.batches.values()) {
        rows += batch.records.length;
        if (batch.records.length > 0) this.options.onAcknowledged?.(batch.key, batch.records);
      }
      this.options.onStored?.(request.streamType, rows, request.body.byteLength);
      if (memtables.byteSize() > memtableLimit) this.options.requestPersist();
      if (keyed !== undefined) return keyed.result;
    }
    return buildResult(request, decoded.outcomes, now() - started);
  }

  /**
   * Back-pressure of the memtable budget: the request waits (for a persist it asks for) until
   * the memtables are back within budget; the rows it brings may then exceed it by one request
   * per request let in at that instant. Still over after the wait: 503 with Retry-After,
   * nothing stored, so the client's retry loses nothing.
   */
  private async waitForRoom(held: number): Promise<void> {
    const { memBudget } = this.limits;
    this.options.requestPersist();
    const waitMs = this.options.budgetWaitMs ?? BUDGET_WAIT_MS;
    if (await this.options.memtables.untilAtMost(memBudget, waitMs)) return;
    throw new AppError(
      'UNAVAILABLE',
      `memtables are over their budget (${Math.round(held / MB)} MB held, budget ${Math.round(memBudget / MB)} MB) while persisting; retry shortly`,
      { retryAfterSeconds: 1 },
    );
  }

  /**
   * For remote write with HA dedup: reads the body once, elects every (cluster, replica) it
   * carries (awaiting the shared store when the cache can't answer), and hands both to the
   * synchronous decode. The verdicts end up in the WAL as skipped documents, so a replay
   * needs no election.
   */
  private async electHaLeaders(request: IngestRequest): Promise<LiveRemoteWrite | undefined> {
    const { ha } = this.settings.remoteWrite;
    if (request.format !== 'prom_remote_write' || ha === undefined) return undefined;
    const wire = readWriteRequest(request.body, this.settings.remoteWrite.maxDecompressedBytes);
    const pairs = haPairsOf(wire, ha);
    if (pairs.length === 0) return { wire };
    await this.ensureOrg(request.org);
    const verdicts = await this.ha.verdicts(request.org, pairs);
    // Every pair the decode meets was elected above (same labels, same formatting).
    return {
      wire,
      admit: (_org, cluster, replica) => verdicts.get(`${cluster}\u0000${replica}`) ?? true,
    };
  }

  /** The `prom_metadata` of every metric stream the request writes rows to. */
  private async storeMetadata(decoded: DecodedRequest, keepExisting: boolean): Promise<void> {
    for (const [stream, meta] of decoded.metadata ?? []) {
      const batch = decoded.batches.get(stream);
      if (batch === undefined || batch.records.length === 0) continue;
      await this.options.streamMetadata.promMetadata(batch.key, meta, keepExisting);
    }
  }

  private async ensureOrg(org: string): Promise<void> {
    if (this.knownOrgs.has(org)) return;
    const { config, metaStore } = this.options;
    // ZO_CREATE_ORG_THROUGH_INGESTION creates only orgs the name rules allow.
    checkOrgId(org);
    if ((await metaStore.orgs.get(org)) === undefined) {
      if (!config.ZO_CREATE_ORG_THROUGH_INGESTION)
        throw AppError.notFound(`organization ${org} not found`);
      await metaStore.orgs.ensure({ identifier: org, name: org, type: 'custom' });
    }
    this.knownOrgs.add(org);
  }
}
