import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Cluster } from '@o2/cluster';
import { FILE_ADDED_TOPIC, publishEvent, storedFileKey, tokenIndexKey } from '@o2/domain';
import type { StreamKind } from '@o2/domain';
import type { Logger } from '@o2/logger';
import type { FileEntry, MetaStore } from '@o2/metastore';
import { clustersRows, FileIdGenerator } from '@o2/parquet';
import type { ColumnSpec, EncodedParquet } from '@o2/parquet';
import type { ObjectStore } from '@o2/storage';
import { classifyFailure, describeFailure } from './failure-class.js';
import { removeEmptyParents, writeFileAtomic } from './fs-atomic.js';
import { META_SUFFIX } from './local-files.js';
import { OwnUploads } from './own-uploads.js';
import type { LocalFile, LocalFiles } from './local-files.js';
import type { Quarantine } from './quarantine.js';
import { uploadChunks } from './upload-chunks.js';
import { afterFailure, isDue } from './retry-backoff.js';
import type { RetryState } from './retry-backoff.js';
import type { Dependency, StoreHealth } from './store-health.js';

/**
 * An upload in progress, written before the object is put: which local files make it and
 * under which key. It is kept until the upload succeeds (or is quarantined) and every retry,
 * after a failure or a crash, re-runs the same manifest — the key is fixed and file_list
 * registration is idempotent, so nothing is stored twice.
 */
interface Manifest {
  key: string;
  sources: string[];
  entry: FileEntry;
  /** Failures so far (absent until the first one). */
  retry?: RetryState;
  /** Set before its files move to quarantine, so a crash mid-move is finished at start. */
  quarantineId?: string;
}

interface PendingUpload {
  id: string;
  path: string;
  manifest: Manifest;
}

export interface UploaderOptions {
  /**
   * Builds the file's full-text token index (undefined: no index), from its bytes and the
   * stream it belongs to; written before the file is registered, so a registered file with
   * `indexSize > 0` always has its index.
   */
  buildIndex?: (body: Uint8Array, entry: FileEntry) => Promise<Uint8Array | undefined>;
  manifestsDir: string;
  /** ZO_COMPACT_MAX_FILE_SIZE in bytes: merged uploads stay below it. */
  maxFileBytes: number;
  /** Arrow bytes one merge may decode (see `uploadChunks`); 0 or absent: no limit. */
  maxMergeBytes?: number;
  /**
   * Merges a stream-hour's files under its schema, in a worker (`ParquetEncoderPool#merge`) so
   * the event loop is not stalled; the files' memory may move there, so they are not reused.
   */
  merge: (files: Uint8Array[], schema: ColumnSpec[], cluster: boolean) => Promise<EncodedParquet>;
  quarantine: Quarantine;
  health: StoreHealth;
  /** Counted (persistent) failures of one upload before its files are quarantined. */
  maxAttempts: number;
  maxBackoffMs: number;
  /** How long an upload stays in `own` after its sources are deleted (see `OwnUploads`). */
  keepOwnUploadsMs: number;
  now: () => number;
  logger: Logger;
}

/** Outcome of one upload round. */
export interface UploadOutcome {
  uploaded: number;
  /** Uploads left for a later round (failed, backing off, or skipped while a store is down). */
  pending: number;
  /** The first failure of this round, redacted. */
  error?: string;
}

/** Which dependency a step of an upload talks to (a transient failure there is its outage). */
interface Progress {
  dependency: Dependency;
}

/**
 * Moves committed local Parquet to the object store: files of one stream-hour-partition are
 * merged into as few objects as the size limit allows, each put under a new key, registered
 * in file_list, announced, and only then deleted locally.
 *
 * Each upload fails on its own: a persistent failure (the group's own data or key) backs off
 * and, after `maxAttempts`, moves the group's files to quarantine, while the other groups go on.
 * A transient one (a store that does not answer) never counts towards quarantine; it marks the
 * store down and the whole round backs off, doubling up to `maxBackoffMs`, so an outage costs
 * one probe per wait instead of one timeout per group.
 */
export class Uploader {
  private readonly ids = new FileIdGenerator();
  private readonly uploads = new Map<string, PendingUpload>();
  /** Set while a store is down: rounds before `nextAttemptAt` are skipped. */
  private outage: RetryState | undefined;
  /** Key an upload may have registered → its local sources, until deleted (for snapshots). */
  private readonly registering = new Map<string, readonly string[]>();
  /** This process's uploads, for snapshots that need no file_list read. */
  readonly own: OwnUploads;

  constructor(
    private readonly options: UploaderOptions,
    private readonly localFiles: LocalFiles,
    private readonly objectStore: ObjectStore,
    private readonly metaStore: MetaStore,
    private readonly cluster: Cluster,
  ) {
    this.own = new OwnUploads(options.keepOwnUploadsMs, options.now);
  }

  /** The local files the stored file `key` holds, while they exist: a snapshot drops them. */
  sourcesOf = (key: string): readonly string[] | undefined => this.registering.get(key);

  /**
   * Picks up the uploads a crash or a failure left; they are retried by the next round (a
   * store that is down at start must not keep the ingester from starting). Moves to quarantine
   * that a crash interrupted are finished now.
   */
  async recover(): Promise<void> {
    await mkdir(this.options.manifestsDir, { recursive: true });
    for (const name of await readdir(this.options.manifestsDir)) {
      const path = join(this.options.manifestsDir, name);
      if (!name.endsWith('.json')) {
        await rm(path, { force: true });
        continue;
      }
      const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
      const upload = { id: name.slice(0, -'.json'.length), path, manifest };
      if (manifest.quarantineId !== undefined) {
        await this.toQuarantine(upload);
        continue;
      }
      this.uploads.set(upload.id, upload);
      this.own.recovered(manifest.key, manifest.entry);
      // Registered before the crash: its local copies go now, or queries would read both.
      if (await this.isRegistered(manifest)) await this.attempt(upload);
    }
  }

  /** Whether the upload's file is in file_list; false when the metastore cannot say. */
  private async isRegistered(manifest: Manifest): Promise<boolean> {
    const { entry } = manifest;
    const ref = { org: entry.org, type: entry.type, name: entry.stream };
    try {
      return (await this.metaStore.fileList.get(ref, entry.date, entry.file)) !== undefined;
    } catch {
      return false;
    }
  }

  /**
   * Uploads every local file present now, continuing past failures; `force` (an explicit
   * flush) retries even what is backing off.
   */
  async uploadAll(force = false): Promise<UploadOutcome> {
    const now = this.options.now();
    const claimed = new Set([...this.uploads.values()].flatMap((u) => u.manifest.sources));
    const groups = new Map<string, LocalFile[]>();
    for (const file of this.localFiles.list()) {
      if (claimed.has(file.path)) continue;
      const group = `${file.meta.org}/${file.meta.type}/${file.meta.stream}/${file.meta.date}/${file.meta.partitionDirs ?? ''}`;
      groups.set(group, [...(groups.get(group) ?? []), file]);
    }
    const fresh = [...groups.values()].flatMap((files) => uploadChunks(files, this.options));
    const total = this.uploads.size + fresh.length;
    if (!isDue(this.outage, now, force)) {
      return { uploaded: 0, pending: total, error: this.outage?.lastError ?? 'store down' };
    }
    const outcome: UploadOutcome = { uploaded: 0, pending: 0 };
    let storeDown = false;
    let attempted = 0;
    const attempt = async (upload: PendingUpload): Promise<void> => {
      if (storeDown || !isDue(upload.manifest.retry, now, force)) {
        outcome.pending++;
        return;
      }
      attempted++;
      const result = await this.attempt(upload);
      if (result === 'uploaded') outcome.uploaded++;
      else {
        outcome.pending += result === 'quarantined' ? 0 : 1;
        outcome.error ??= upload.manifest.retry?.lastError;
        if (result === 'transient') storeDown = true;
      }
    };
    for (const upload of [...this.uploads.values()]) await attempt(upload);
    for (const chunk of fresh) {
      if (storeDown) {
        outcome.pending++;
        continue;
      }
      await attempt(await this.plan(chunk));
    }
    if (!storeDown && attempted > 0) this.outage = undefined;
    return outcome;
  }

  /** Writes the manifest of a new upload (its key and sources fixed from here on). */
  private async plan(chunk: LocalFile[]): Promise<PendingUpload> {
    const id = this.ids.next();
    const first = chunk[0] as LocalFile;
    const entry: FileEntry = {
      org: first.meta.org,
      type: first.meta.type,
      stream: first.meta.stream,
      date: first.meta.date,
      file: `${first.meta.partitionDirs ?? ''}${id}.parquet`,
      minTs: Math.min(...chunk.map((f) => f.meta.minTs)),
      maxTs: Math.max(...chunk.map((f) => f.meta.maxTs)),
      records: chunk.reduce((sum, f) => sum + f.meta.records, 0),
      originalSize: chunk.reduce((sum, f) => sum + f.meta.originalSize, 0),
      compressedSize: 0, // set from the merged bytes
      indexSize: 0,
      flattened: false,
    };
    const manifest: Manifest = {
      key: storedFileKey(entry),
      sources: chunk.map((f) => f.path),
      entry,
    };
    const path = join(this.options.manifestsDir, `${id}.json`);
    await writeFileAtomic(path, JSON.stringify(manifest));
    const upload = { id, path, manifest };
    this.uploads.set(id, upload);
    return upload;
  }

  /** One try of one upload, its failure recorded; never throws for the upload's own failure. */
  private async attempt(
    upload: PendingUpload,
  ): Promise<'uploaded' | 'transient' | 'persistent' | 'quarantined'> {
    const { health, logger, now, maxAttempts, maxBackoffMs } = this.options;
    const progress: Progress = { dependency: 'local disk' };
    try {
      await this.run(upload.manifest, upload.path, progress);
      this.uploads.delete(upload.id);
      return 'uploaded';
    } catch (failure) {
      const kind = classifyFailure(failure);
      const error = describeFailure(failure);
      const { entry } = upload.manifest;
      const retry = afterFailure(upload.manifest.retry, now(), {
        counts: kind === 'persistent',
        error,
        maxBackoffMs,
      });
      upload.manifest = { ...upload.manifest, retry };
      if (kind === 'transient') {
        health.failed(progress.dependency, error);
        this.outage = afterFailure(this.outage, now(), { counts: false, error, maxBackoffMs });
      }
      logger.warn(
        { org: entry.org, stream: entry.stream, key: upload.manifest.key, kind, error },
        'upload failed; retrying later',
      );
      if (kind === 'persistent' && retry.attempts >= maxAttempts) {
        upload.manifest = { ...upload.manifest, quarantineId: `upload-${upload.id}` };
        await writeFileAtomic(upload.path, JSON.stringify(upload.manifest));
        await this.toQuarantine(upload);
        return 'quarantined';
      }
      await writeFileAtomic(upload.path, JSON.stringify(upload.manifest));
      return kind;
    }
  }

  private async run(manifest: Manifest, manifestPath: string, progress: Progress): Promise<void> {
    const { health } = this.options;
    const { entry } = manifest;
    const ref = { org: entry.org, type: entry.type, name: entry.stream };
    this.registering.set(manifest.key, manifest.sources);
    progress.dependency = 'metadata store';
    const registered = await this.metaStore.fileList.get(ref, entry.date, entry.file);
    health.succeeded('metadata store');
    if (registered !== undefined) this.own.registered(manifest.key, registered, manifest.sources);
    else this.own.notRegistered(manifest.key);
    if (registered === undefined) {
      progress.dependency = 'local disk';
      const bytes = await Promise.all(manifest.sources.map((source) => readFile(source)));
      const schema = await this.schemaOf(manifest.sources);
      const body: Uint8Array =
        bytes.length === 1
          ? (bytes[0] as Uint8Array)
          : (await this.options.merge(bytes, schema, clustersRows(entry.type))).bytes;
      progress.dependency = 'metadata store'; // the index reads stream settings
      const index = await this.options.buildIndex?.(body, entry);
      progress.dependency = 'object store';
      if (index !== undefined) await this.objectStore.put(tokenIndexKey(manifest.key), index);
      await this.objectStore.put(manifest.key, body);
      health.succeeded('object store');
      const final: FileEntry = {
        ...entry,
        compressedSize: body.byteLength,
        indexSize: index?.byteLength ?? 0,
      };
      progress.dependency = 'metadata store';
      this.own.registering(manifest.key, final);
      await this.metaStore.fileList.add([final]);
      this.own.registered(manifest.key, final, manifest.sources);
      // The event only warms queriers' caches and the file is registered: a NATS outage must not
      // fail the upload (readiness watches NATS itself).
      try {
        await publishEvent(this.cluster.events, FILE_ADDED_TOPIC, { key: manifest.key, ...final });
      } catch (error) {
        this.options.logger.warn(
          { key: manifest.key, error: describeFailure(error) },
          'file.added not published; queriers fetch the file on first read',
        );
      }
    }
    progress.dependency = 'local disk';
    for (const source of manifest.sources) {
      await this.localFiles.whenUnpinned(source);
      await rm(`${source}${META_SUFFIX}`, { force: true });
      await rm(source, { force: true });
      this.localFiles.remove(source);
      await removeEmptyParents(dirname(source));
    }
    this.own.done(manifest.key);
    this.registering.delete(manifest.key);
    await rm(manifestPath, { force: true });
  }

  /** Moves an upload's local files to quarantine (resumable: the manifest names the entry). */
  private async toQuarantine(upload: PendingUpload): Promise<void> {
    const { manifest } = upload;
    const { entry } = manifest;
    const id = manifest.quarantineId ?? `upload-${upload.id}`;
    this.own.forget(manifest.key);
    const files = manifest.sources.flatMap((source) => [
      { from: source, name: basename(source) },
      { from: `${source}${META_SUFFIX}`, name: `${basename(source)}${META_SUFFIX}` },
    ]);
    for (const source of manifest.sources) await this.localFiles.whenUnpinned(source);
    await this.options.quarantine.add(
      id,
      {
        org: entry.org,
        // Built from LocalFileMeta, whose type is always an ingestable kind.
        streamType: entry.type as StreamKind,
        stream: entry.stream,
        partition:
          `${entry.date}/${dirname(entry.file) === '.' ? '' : dirname(entry.file)}`.replace(
            /\/$/,
            '',
          ),
        stage: 'upload',
        rows: entry.records,
        bytes: manifest.sources.reduce(
          (sum, s) => sum + (this.localFiles.get(s)?.meta.compressedSize ?? 0),
          0,
        ),
        error: manifest.retry?.lastError ?? 'unknown error',
        attempts: manifest.retry?.attempts ?? 0,
        firstFailedAt: manifest.retry?.firstFailedAt ?? this.options.now(),
      },
      files,
    );
    for (const source of manifest.sources) {
      this.localFiles.remove(source);
      await removeEmptyParents(dirname(source));
    }
    await rm(upload.path, { force: true });
    this.uploads.delete(upload.id);
    this.options.logger.error(
      {
        org: entry.org,
        stream: entry.stream,
        rows: entry.records,
        error: manifest.retry?.lastError,
      },
      `upload quarantined after ${manifest.retry?.attempts ?? 0} failed tries`,
    );
  }

  private async schemaOf(sources: readonly string[]): Promise<ColumnSpec[]> {
    const last = sources[sources.length - 1];
    if (last === undefined) return [];
    try {
      const meta = JSON.parse(await readFile(`${last}${META_SUFFIX}`, 'utf8')) as {
        schema: ColumnSpec[];
      };
      return meta.schema;
    } catch {
      return [];
    }
  }
}
