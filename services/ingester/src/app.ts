import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import type {
  IngestRequest,
  IngestResult,
  IngestService,
  IngesterControl,
  StreamKind,
} from '@o2/domain';
import { AppError } from '@o2/errors';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type { MetaStore, StreamRef } from '@o2/metastore';
import { TailHub } from '@o2/live-tail';
import { realTimeAlerts, smtpConfig, ssrfPolicy } from '@o2/alert-delivery';
import type { TailSource } from '@o2/live-tail';
import type { Registry } from 'prom-client';
import { ingesterMetrics } from './ingester-metrics.js';
import { ParquetEncoderPool, BACKGROUND_NICENESS } from '@o2/parquet';
import { FileIndexPool } from '@o2/token-index';
import type { ObjectStore } from '@o2/storage';
import { CycleChain } from './cycle-chain.js';
import { MB, ingesterLimits } from './ingester-settings.js';
import { Memtables } from './memtable/memtables.js';
import { lockDir } from './persist/dir-lock.js';
import type { DirLock } from './persist/dir-lock.js';
import { flushFailure, incompleteFlush } from './persist/flush-outcome.js';
import type { Encoder } from './persist/persister.js';
import { Quarantine } from './persist/quarantine.js';
import { quarantineCounter } from './persist/quarantine-metric.js';
import { StoreHealth } from './persist/store-health.js';
import { PersistLoop } from './persist-loop.js';
import { Snapshotter } from './snapshotter.js';
import type { HotDataSnapshot, StreamSnapshot } from './snapshotter.js';
import { StreamMetadata } from './stream-metadata.js';
import { StreamSchemas } from './stream-schemas.js';
import { UploadLoop } from './upload-loop.js';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import { WriteGate } from './write-gate.js';
import { WritePath } from './write-path.js';
import { EnrichmentCache, EnrichmentStore, enrichmentFunctions } from '@o2/enrichment';
import { RealtimePipelines } from './pipelines/realtime-pipelines.js';

export type { StreamSnapshot } from './snapshotter.js';

export interface IngesterDeps {
  config: Config;
  logger: Logger;
  metaStore: MetaStore;
  objectStore: ObjectStore;
  cluster: Cluster;
  /** Wall clock in ms (tests pin it). */
  now?: () => number;
  /** Where the ingester's metrics go (the HTTP app's registry in single node). */
  registry?: Registry;
}

export type Ingester = Lifecycle &
  IngestService &
  IngesterControl &
  /** Live tail: the rows this ingester acknowledges from now on (bounded per subscriber). */
  TailSource & {
    /**
     * A consistent view of a stream for a query: taken while no persist or upload runs, so each
     * acknowledged row is in exactly one of memtables, local files or stored files.
     */
    snapshot(ref: StreamRef, range: { startTs: number; endTs: number }): Promise<StreamSnapshot>;
    /** `snapshot` for a leader that read file_list itself (see `Snapshotter.hotData`). */
    hotData(ref: StreamRef, range: { startTs: number; endTs: number }): Promise<HotDataSnapshot>;
  };

/**
 * The ingester role, composed of its parts: the write path (normalise, evolve the schema,
 * append to the WAL, only then acknowledge; rows wait in Arrow memtables), the persist loop
 * (every ZO_MEM_PERSIST_INTERVAL s: commit all memtables as local Parquet, drop their WAL),
 * the upload loop (every ZO_FILE_PUSH_INTERVAL s: merge local files per stream-hour, put them
 * in the object store, register them in file_list) and the snapshotter (hot reads). Both loops
 * and snapshots run one at a time on one chain, so an upload never sees a commit whose WAL is
 * not dropped yet.
 */
export function createIngester(deps: IngesterDeps): Ingester {
  const { config, metaStore, objectStore, cluster } = deps;
  const logger = deps.logger.child({ module: 'ingester' });
  const now = deps.now ?? Date.now;
  const walRoot = config.ZO_DATA_WAL_DIR;
  const memtables = new Memtables(now);
  const schemas = new StreamSchemas(metaStore, cluster, () => now() * 1000, logger);
  const streamMetadata = new StreamMetadata(metaStore);
  const gate = new WriteGate();
  // Background work: its encodes give way to queries and request handling on busy CPUs.
  const pool = new ParquetEncoderPool({ size: 1, niceness: BACKGROUND_NICENESS });
  // Side indexes of uploaded files (token index, trace-id set) are built there too.
  const indexPool = new FileIndexPool({ size: 1, niceness: BACKGROUND_NICENESS });
  const chain = new CycleChain(logger);
  const health = new StoreHealth(now);
  const quarantine = new Quarantine(
    join(walRoot, 'quarantine'),
    now,
    quarantineCounter(deps.registry),
  );
  const retries = {
    maxAttempts: config.ZO_PERSIST_MAX_ATTEMPTS,
    maxBackoffMs: config.ZO_PERSIST_RETRY_MAX_BACKOFF * 1000,
    now,
    logger,
  };
  const idempotency = new IdempotencyStore({
    windowSeconds: config.ZO_INGEST_IDEMPOTENCY_WINDOW,
    maxBytes: config.ZO_INGEST_IDEMPOTENCY_MAX_MB * MB,
    fsync: !config.ZO_WAL_FSYNC_DISABLED,
    now,
    logger,
  });
  let persist: PersistLoop | undefined;
  let upload: UploadLoop | undefined;
  let schemaWatch: { unsubscribe(): Promise<void> } | undefined;
  let dirLock: DirLock | undefined;
  let stopped = false;

  const metrics = ingesterMetrics(deps.registry, {
    walBytes: () => persist?.wal.segments().reduce((sum, s) => sum + s.bytes, 0) ?? 0,
    memtableBytes: () => memtables.byteSize(),
  });
  const persistCycle = async (force = false) =>
    metrics.timed('persist', async () => persist?.cycle(force));
  const uploadCycle = async (force = false) =>
    metrics.timed('upload', async () => upload?.cycle(force));
  // Early persists asked for by the write path: one queued at a time, however many requests
  // find the memtables over their limit meanwhile.
  let persistAsked = false;
  const requestPersist = (): void => {
    if (persistAsked) return;
    persistAsked = true;
    chain.kick(async () => {
      persistAsked = false;
      return persistCycle();
    }, 'persist');
  };
  const tails = new TailHub();
  // Real-time alerts look at the rows just acknowledged, after the answer, off the write path.
  const realTime = realTimeAlerts({
    ...{ metaStore, now, policy: ssrfPolicy(config), webUrl: config.ZO_WEB_URL },
    smtp: smtpConfig(config),
    logger: logger.child({ module: 'real-time-alerts' }),
    minuteMs: config.ZO_ALERT_MINUTE_SECONDS * 1000,
    nodeId: config.ZO_INSTANCE_NAME,
  });
  // Pipelines' VRL may look rows up in the org's enrichment tables (read-only here).
  const enrichment = new EnrichmentCache(new EnrichmentStore({ metaStore, objectStore }));
  const pipelines = new RealtimePipelines(metaStore, {
    now,
    logger: logger.child({ module: 'pipelines' }),
    flattenLevel: config.ZO_INGEST_FLATTEN_LEVEL,
    vrlFunctions: async (org) => enrichmentFunctions(await enrichment.tables(org)),
  });
  let pipelineWatch: { unsubscribe(): Promise<void> } | undefined;
  const writePath = new WritePath({
    pipelines,
    ...{ config, metaStore, memtables, schemas, streamMetadata, gate, idempotency, now, logger },
    requestPersist,
    onStored: (type, rows, bytes) => metrics.stored(type, rows, bytes),
    onAcknowledged: (key, records) => {
      tails.publish(key, records);
      realTime.check(key, records);
    },
  });
  const snapshotter = new Snapshotter(
    memtables,
    metaStore,
    chain,
    () =>
      persist && {
        localFiles: persist.localFiles,
        persister: persist.persister,
        uploadedAs: (key: string) => upload?.sourcesOf(key),
        ownUploads: (key) => upload?.ownUploads(key),
        uploadCycles: () => upload?.cyclesStarted ?? 0,
      },
  );

  /** Both cycles, retrying everything now; rejects while any partition is still retried. */
  const flushAll = async (): Promise<void> => {
    const persisted = await persistCycle(true).catch(flushFailure);
    const uploaded = await uploadCycle(true).catch(flushFailure);
    const incomplete = incompleteFlush(persisted, uploaded);
    if (incomplete !== undefined) throw incomplete;
  };

  return {
    name: 'ingester',

    async start() {
      await mkdir(walRoot, { recursive: true });
      dirLock = await lockDir(walRoot);
      const rows = config.ZO_PARQUET_MAX_ROW_GROUP_SIZE;
      const rowGroup = rows > 0 ? { rowGroupSize: rows } : {};
      const encode: Encoder = {
        encode: (t, o) => pool.encode(t, { ...rowGroup, ...o }),
        encodeGroups: pool.encodeGroups,
      };
      const shared = { config, walRoot, health, quarantine, encode };
      const { maxUploadBytes, pushIntervalMs, sliceBytes, maxMergeBytes } = ingesterLimits(config);
      persist = await PersistLoop.open({ ...shared, ...retries, memtables, gate, sliceBytes });
      const { localFiles, wal } = persist;
      const stores = { objectStore, metaStore, cluster };
      upload = await UploadLoop.open({
        ...shared,
        ...retries,
        ...stores,
        maxUploadBytes,
        maxMergeBytes,
        localFiles,
        buildIndexes: indexPool.build,
        // Same pool as persist: the cycle chain never runs a persist and an upload at once.
        merge: (files, schema, cluster) => pool.merge(files, schema, { ...rowGroup, cluster }),
      });
      schemaWatch = await schemas.watch();
      pipelineWatch = await pipelines.watch(cluster.events);
      await idempotency.open(join(walRoot, 'idempotency'));
      const replayed = await writePath.replay(wal);
      logger.info(
        { replayed, localFiles: localFiles.list().length, recovery: wal.recovery },
        'ingester started',
      );
      chain.every(config.ZO_MEM_PERSIST_INTERVAL * 1000, () => persistCycle(), 'persist');
      chain.every(pushIntervalMs, () => uploadCycle(), 'upload');
    },

    async stop() {
      stopped = true;
      chain.stopTimers();
      await realTime.idle();
      // Leave as little as possible to replay: persist and upload what is held.
      try {
        await chain.run(flushAll);
      } catch (err) {
        logger.error({ err }, 'final flush failed; the WAL keeps the rows for the next start');
      }
      await schemaWatch?.unsubscribe();
      await pipelineWatch?.unsubscribe();
      await persist?.wal.close();
      await idempotency.close();
      await Promise.all([pool.close(), indexPool.close()]);
      await dirLock?.release();
      dirLock = undefined;
      writePath.forgetOrgs();
    },

    async ingest(request: IngestRequest): Promise<IngestResult> {
      const wal = persist?.wal;
      if (wal === undefined || stopped)
        throw new AppError('UNAVAILABLE', 'ingester is not running', { retryAfterSeconds: 1 });
      return idempotency.once(request, (claim) => writePath.write(wal, request, claim));
    },

    async flush() {
      await chain.run(flushAll);
    },

    quarantine: () => quarantine.list(),

    degradedReasons() {
      // Store health from the persist/upload loops, plus a WAL disk that refuses appends.
      const walDisk = persist?.wal.degradedReason();
      return Promise.resolve([...health.reasons(), ...(walDisk === undefined ? [] : [walDisk])]);
    },

    hotStats: (org: string) => Promise.resolve(snapshotter.hotStats(org)),

    snapshot: (ref, range) => snapshotter.snapshot(ref, range),
    hotData: (ref, range) => snapshotter.hotData(ref, range),

    async *tail(request, signal) {
      // `match_all` also reads the stream's own full-text fields: settings read once per session.
      const { org, type, stream } = request;
      const stored = await metaStore.streams.get({ org, type, name: stream });
      const keys = stored?.settings['full_text_search_keys'];
      const ftsFields = Array.isArray(keys) ? keys.filter((k) => typeof k === 'string') : [];
      yield* tails.tail(request, signal, ftsFields);
    },

    async dropStream(org: string, type: StreamKind, stream: string) {
      // Persist and upload first so the stream's rows leave memory through the normal path;
      // the caller deletes what storage holds. Only this stream's leftovers fail the drop (a
      // later upload would bring them back): another stream being retried does not.
      await chain.run(flushAll).catch(() => undefined);
      if (snapshotter.holds(org, type, stream))
        throw new AppError('UNAVAILABLE', `stream ${stream} still has data being stored; retry`, {
          retryAfterSeconds: 1,
        });
      schemas.forget({ org, type, stream });
      streamMetadata.forget({ org, type, stream });
    },
  };
}
