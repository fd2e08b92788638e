import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import type {
  HotStreamStats,
  IngestRequest,
  IngestResult,
  IngestService,
  IngesterControl,
  QuarantinedPartition,
  StreamKind,
} from '@o2/domain';
import { checkOrgId } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type { FileEntry, MetaStore, StoredFileEntry, StreamRef } from '@o2/metastore';
import type { Table } from 'apache-arrow';
import type { Registry } from 'prom-client';
import { ParquetEncoderPool } from '@o2/parquet';
import type { ObjectStore } from '@o2/storage';
import { openWal } from '@o2/wal';
import type { Wal } from '@o2/wal';
import { buildResult, conformBatch, decodeRequest, walHeaderOf } from './ingest-pipeline.js';
import { MB, ingesterLimits, pipelineSettings } from './ingester-settings.js';
import { Memtables } from './memtable/memtables.js';
import { lockDir } from './persist/dir-lock.js';
import type { DirLock } from './persist/dir-lock.js';
import { LocalFiles } from './persist/local-files.js';
import { describeFailure } from './persist/failure-class.js';
import { flushFailure, incompleteFlush } from './persist/flush-outcome.js';
import { Persister, committedThrough } from './persist/persister.js';
import type { RetryOutcome } from './persist/persister.js';
import { Quarantine } from './persist/quarantine.js';
import { quarantineCounter } from './persist/quarantine-metric.js';
import { StoreHealth } from './persist/store-health.js';
import { fullTextIndex } from './persist/full-text-index.js';
import { Uploader } from './persist/uploader.js';
import type { UploadOutcome } from './persist/uploader.js';
import { StreamPartitioning } from './partitioning.js';
import type { PartitionKey } from './partitioning.js';
import { StreamSchemas } from './stream-schemas.js';
import { decodeForReplay } from './replay-entry.js';
import { decodeWalEntry, encodeWalEntry } from './wal-entry.js';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import type { IdempotencyClaim } from './idempotency/idempotency-store.js';
import { WriteGate } from './write-gate.js';

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

/** One stream's data held by this ingester and the stored files, as of one instant. */
export interface StreamSnapshot {
  /** Rows in memtables (Arrow tables, columns from the stream schema). */
  tables: Table[];
  /** Committed local Parquet files not yet uploaded (pinned until `release`). */
  localFiles: string[];
  /** file_list rows overlapping the range, read in the same instant. */
  storedFiles: StoredFileEntry[];
  /** Unpins the local files; call once the query has read them. */
  release(): void;
}

export type Ingester = Lifecycle &
  IngestService &
  IngesterControl & {
    /**
     * A consistent view of a stream for a query: taken while no persist or upload runs, so each
     * acknowledged row is in exactly one of memtables, local files or stored files.
     */
    snapshot(ref: StreamRef, range: { startTs: number; endTs: number }): Promise<StreamSnapshot>;
  };

/**
 * The ingester role: requests are normalised, their schema evolved, appended to the WAL and
 * only then acknowledged; rows live in Arrow memtables until the persist cycle (every
 * ZO_MEM_PERSIST_INTERVAL s) commits them all as local Parquet and drops the WAL they came
 * from; the upload cycle (every ZO_FILE_PUSH_INTERVAL s) merges local files per stream-hour,
 * puts them in the object store and registers them in file_list. Both cycles run one at a
 * time on one chain, so an upload never sees a commit whose WAL is not dropped yet.
 */
export function createIngester(deps: IngesterDeps): Ingester {
  const { config, metaStore, objectStore, cluster } = deps;
  const logger = deps.logger.child({ module: 'ingester' });
  const now = deps.now ?? Date.now;
  const nowMicros = (): number => now() * 1000;
  const settings = pipelineSettings(config);
  const walRoot = config.ZO_DATA_WAL_DIR;
  const { memLimit, memtableLimit, pushIntervalMs, maxUploadBytes } = ingesterLimits(config);

  const memtables = new Memtables(now);
  const schemas = new StreamSchemas(metaStore, cluster, nowMicros, logger);
  const partitioning = new StreamPartitioning(metaStore, now);
  const gate = new WriteGate();
  const pool = new ParquetEncoderPool({ size: 1 });
  let localFiles = new LocalFiles();
  let persister: Persister | undefined;
  let uploader: Uploader | undefined;
  let wal: Wal | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const timers: NodeJS.Timeout[] = [];
  let schemaWatch: { unsubscribe(): Promise<void> } | undefined;
  let knownOrgs = new Set<string>();
  let stopped = false;
  let dirLock: DirLock | undefined;
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

  /** Runs persist/upload work one job at a time. */
  const onChain = <T>(job: () => Promise<T>): Promise<T> => {
    // Called without arguments: a job must not receive the previous job's result.
    const run = chain.then(
      () => job(),
      () => job(),
    );
    chain = run.catch(() => undefined);
    return run;
  };

  const replayContext = { settings, logger, rejectedDir: join(walRoot, 'rejected') };

  const ensureOrg = async (org: string): Promise<void> => {
    if (knownOrgs.has(org)) return;
    // ZO_CREATE_ORG_THROUGH_INGESTION creates only orgs the name rules allow.
    checkOrgId(org);
    if ((await metaStore.orgs.get(org)) === undefined) {
      if (!config.ZO_CREATE_ORG_THROUGH_INGESTION)
        throw AppError.notFound(`organization ${org} not found`);
      await metaStore.orgs.ensure({ identifier: org, name: org, type: 'custom' });
    }
    knownOrgs.add(org);
  };

  /**
   * Commits the memtables (a table that fails is kept pending inside the commit, so the WAL
   * is dropped either way), then retries earlier pending tables; `force` ignores backoff.
   */
  const persistCycle = async (force = false): Promise<RetryOutcome | undefined> => {
    const activeWal = wal;
    const active = persister;
    if (activeWal === undefined || active === undefined) return undefined;
    const { tables, segment } = await gate.exclusive(async () => {
      memtables.rotate();
      return { tables: memtables.takeImmutables(), segment: await activeWal.rotate() };
    });
    if (tables.length === 0) {
      if (segment >= 0 && activeWal.segments().some((s) => !s.active && s.id <= segment))
        await activeWal.dropThrough(segment);
    } else {
      try {
        const files = await active.commit(tables, segment);
        memtables.settle(tables, true);
        await activeWal.dropThrough(segment);
        health.succeeded('local disk');
        logger.debug({ files: files.length, segment }, 'persisted memtables');
      } catch (error) {
        memtables.settle(tables, false);
        // Nothing could be committed (not even pending files): readiness says so.
        health.failed('local disk', describeFailure(error));
        throw error;
      }
    }
    return active.retryPending(force);
  };

  const uploadCycle = async (force = false): Promise<UploadOutcome | undefined> => {
    if (uploader === undefined) return undefined;
    const outcome = await uploader.uploadAll(force);
    if (outcome.uploaded > 0) logger.debug({ files: outcome.uploaded }, 'uploaded files');
    return outcome;
  };

  /** Both cycles, retrying everything now; rejects while any partition is still retried. */
  const flushAll = async (): Promise<void> => {
    const persisted = await persistCycle(true).catch(flushFailure);
    const uploaded = await uploadCycle(true).catch(flushFailure);
    const incomplete = incompleteFlush(persisted, uploaded);
    if (incomplete !== undefined) throw incomplete;
  };

  const replay = async (activeWal: Wal): Promise<number> => {
    let rows = 0;
    for await (const { entry, position } of activeWal.replay()) {
      const { header, body } = decodeWalEntry(entry);
      if (header.idem !== undefined) await idempotency.restore(header.org, header.idem);
      const decoded = await decodeForReplay(header, body, entry, position, replayContext);
      if (decoded === undefined) continue;
      await ensureOrg(header.org);
      for (const batch of decoded.batches.values()) {
        const schema = await schemas.prepare(batch.key, batch.records);
        conformBatch(batch, schema, decoded.outcomes);
        memtables.append(
          batch.key,
          schema,
          batch.records,
          batch.ts,
          await partitioning.keysFor(batch.key),
        );
        rows += batch.records.length;
      }
    }
    return rows;
  };

  const every = (ms: number, job: () => Promise<unknown>, what: string): void => {
    const timer = setInterval(() => {
      onChain(job).catch((err: unknown) => logger.error({ err }, `${what} failed`));
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  /** Decode, evolve schemas, WAL append (with the key, if any), memtables; then the answer. */
  const writeRequest = async (
    activeWal: Wal,
    request: IngestRequest,
    claim: IdempotencyClaim | undefined,
  ): Promise<IngestResult> => {
    const started = now();
    const held = memtables.byteSize();
    if (held > memLimit) {
      onChain(persistCycle).catch((err: unknown) => logger.error({ err }, 'persist failed'));
      throw new AppError(
        'UNAVAILABLE',
        `memtable is full (${Math.round(held / MB)} MB held, limit ${Math.round(memLimit / MB)} MB); retry shortly`,
        {
          retryAfterSeconds: config.ZO_MEM_PERSIST_INTERVAL,
        },
      );
    }
    const ingestTime = nowMicros();
    const decoded = decodeRequest(request, ingestTime, settings);
    if (decoded.batches.size > 0) await ensureOrg(request.org);
    const schemaFor = new Map<string, Awaited<ReturnType<StreamSchemas['prepare']>>>();
    const partitionKeysFor = new Map<string, PartitionKey[]>();
    for (const [stream, batch] of decoded.batches) {
      const schema = await schemas.prepare(batch.key, batch.records);
      conformBatch(batch, schema, decoded.outcomes);
      schemaFor.set(stream, schema);
      partitionKeysFor.set(stream, await partitioning.keysFor(batch.key));
    }
    const accepted = [...decoded.batches.values()].some((b) => b.records.length > 0);
    if (accepted) {
      const header = walHeaderOf(request, ingestTime, decoded.outcomes);
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
      await gate.write(async () => {
        await activeWal.append(encodeWalEntry(header, request.body));
        for (const [stream, batch] of decoded.batches) {
          if (batch.records.length === 0) continue;
          const schema = schemaFor.get(stream) ?? [];
          memtables.append(
            batch.key,
            schema,
            batch.records,
            batch.ts,
            partitionKeysFor.get(stream),
          );
        }
        if (keyed !== undefined) await idempotency.record(keyed.claim, keyed.result, keyed.at);
      });
      if (memtables.byteSize() > memtableLimit) {
        onChain(persistCycle).catch((err: unknown) => logger.error({ err }, 'persist failed'));
      }
      if (keyed !== undefined) return keyed.result;
    }
    return buildResult(request, decoded.outcomes, now() - started);
  };

  const ingester: Ingester = {
    name: 'ingester',

    async start() {
      const dirs = { staging: join(walRoot, 'staging'), files: join(walRoot, 'files') };
      await mkdir(walRoot, { recursive: true });
      dirLock = await lockDir(walRoot);
      const opened = await openWal({
        dir: join(walRoot, 'log'),
        fsync: !config.ZO_WAL_FSYNC_DISABLED,
        maxSegmentBytes: config.ZO_MAX_FILE_SIZE_ON_DISK * MB,
        maxSegmentAgeMs: config.ZO_MAX_FILE_RETENTION_TIME * 1000,
        now,
      });
      wal = opened;
      // Segments whose rows were committed as files before a crash must not be replayed.
      const committed = await committedThrough(dirs.files);
      if (committed >= 0) {
        await opened.rotate();
        if (opened.segments().some((s) => !s.active && s.id <= committed))
          await opened.dropThrough(committed);
      }
      localFiles = await LocalFiles.scan(dirs.files);
      await quarantine.init();
      persister = new Persister({
        dirs,
        encode: (table) => pool.encode(table),
        localFiles,
        quarantine,
        ...retries,
      });
      await persister.recover();
      uploader = new Uploader(
        {
          manifestsDir: join(walRoot, 'uploads'),
          maxFileBytes: maxUploadBytes,
          encode: (t, o) => pool.encode(t, o),
          quarantine,
          health,
          ...retries,
          ...(config.ZO_ENABLE_INVERTED_INDEX
            ? {
                buildIndex: (body: Uint8Array, entry: FileEntry) =>
                  fullTextIndex(metaStore, body, entry),
              }
            : {}),
        },
        localFiles,
        objectStore,
        metaStore,
        cluster,
      );
      await uploader.recover();
      schemaWatch = await schemas.watch();
      await idempotency.open(join(walRoot, 'idempotency'));
      const replayed = await replay(opened);
      logger.info(
        { replayed, localFiles: localFiles.list().length, recovery: opened.recovery },
        'ingester started',
      );
      every(config.ZO_MEM_PERSIST_INTERVAL * 1000, () => persistCycle(), 'persist');
      every(pushIntervalMs, () => uploadCycle(), 'upload');
    },

    async stop() {
      stopped = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
      // Leave as little as possible to replay: persist and upload what is held.
      try {
        await onChain(flushAll);
      } catch (err) {
        logger.error({ err }, 'final flush failed; the WAL keeps the rows for the next start');
      }
      await schemaWatch?.unsubscribe();
      await wal?.close();
      await idempotency.close();
      await pool.close();
      await dirLock?.release();
      dirLock = undefined;
      knownOrgs = new Set();
    },

    async ingest(request: IngestRequest): Promise<IngestResult> {
      const activeWal = wal;
      if (activeWal === undefined || stopped)
        throw new AppError('UNAVAILABLE', 'ingester is not running', { retryAfterSeconds: 1 });
      return idempotency.once(request, (claim) => writeRequest(activeWal, request, claim));
    },

    async flush() {
      await onChain(flushAll);
    },

    quarantine(): Promise<QuarantinedPartition[]> {
      return quarantine.list();
    },

    degradedReasons(): Promise<string[]> {
      // Store health from the persist/upload loops, plus a WAL disk that refuses appends.
      const walDisk = wal?.degradedReason();
      return Promise.resolve([...health.reasons(), ...(walDisk === undefined ? [] : [walDisk])]);
    },

    hotStats(org: string): Promise<HotStreamStats[]> {
      const byStream = new Map<string, HotStreamStats>();
      for (const s of memtables.stats(org)) byStream.set(`${s.type}/${s.stream}`, { ...s });
      const pending = (persister?.pendingMetas() ?? []).map((p) => ({
        ...p,
        records: p.rows,
        compressedSize: p.bytes,
      }));
      for (const m of [...localFiles.list().map((f) => f.meta), ...pending]) {
        if (m.org !== org) continue;
        const id = `${m.type}/${m.stream}`;
        const current = byStream.get(id) ?? {
          org,
          type: m.type,
          stream: m.stream,
          records: 0,
          bytes: 0,
          minTs: Infinity,
          maxTs: -Infinity,
        };
        current.records += m.records;
        current.bytes += m.compressedSize;
        current.minTs = Math.min(current.minTs, m.minTs);
        current.maxTs = Math.max(current.maxTs, m.maxTs);
        byStream.set(id, current);
      }
      return Promise.resolve([...byStream.values()]);
    },

    snapshot(ref: StreamRef, range: { startTs: number; endTs: number }): Promise<StreamSnapshot> {
      return onChain(async () => {
        const key = { org: ref.org, type: ref.type as StreamKind, stream: ref.name };
        const tables = [
          ...memtables.snapshot(key),
          ...((await persister?.pendingTables(key)) ?? []),
        ];
        const files = localFiles
          .list()
          .filter(
            (f) =>
              f.meta.org === ref.org &&
              f.meta.type === ref.type &&
              f.meta.stream === ref.name &&
              f.meta.maxTs >= range.startTs &&
              f.meta.minTs < range.endTs,
          )
          .map((f) => f.path);
        files.forEach((path) => localFiles.pin(path));
        const storedFiles = await metaStore.fileList.query(ref, range);
        let released = false;
        return {
          tables,
          localFiles: files,
          storedFiles,
          release: () => {
            if (released) return;
            released = true;
            files.forEach((path) => localFiles.unpin(path));
          },
        };
      });
    },

    async dropStream(org: string, type: StreamKind, stream: string) {
      // Persist and upload first so the stream's rows leave memory through the normal path;
      // the caller deletes what storage holds. Only this stream's leftovers fail the drop (a
      // later upload would bring them back): another stream being retried does not.
      await onChain(flushAll).catch(() => undefined);
      const held = [
        ...memtables.stats(org),
        ...localFiles.list().map((f) => f.meta),
        ...(persister?.pendingMetas() ?? []),
      ];
      if (held.some((m) => m.org === org && m.type === type && m.stream === stream))
        throw new AppError('UNAVAILABLE', `stream ${stream} still has data being stored; retry`, {
          retryAfterSeconds: 1,
        });
      schemas.forget({ org, type, stream });
    },
  };
  return ingester;
}
