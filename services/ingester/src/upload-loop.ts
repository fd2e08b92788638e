import { join } from 'node:path';
import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import type { Logger } from '@o2/logger';
import type { FileEntry, MetaStore } from '@o2/metastore';
import { storedFileKey, traceIdIndexKey } from '@o2/domain';
import type { ObjectStore } from '@o2/storage';
import type { FileIndexPool } from '@o2/token-index';
import type { LocalFiles } from './persist/local-files.js';
import { Uploader } from './persist/uploader.js';
import type { UploadOutcome, UploaderOptions } from './persist/uploader.js';

/** How long an ingester names an upload after its local copies are gone (`OwnUploads`). */
const OWN_UPLOADS_KEEP_MS = 60_000;

export interface UploadLoopOptions extends Omit<
  UploaderOptions,
  'buildIndex' | 'manifestsDir' | 'maxFileBytes' | 'keepOwnUploadsMs'
> {
  /** See `OwnUploads`; default `OWN_UPLOADS_KEEP_MS`. */
  keepOwnUploadsMs?: number;
  config: Config;
  walRoot: string;
  /** ZO_COMPACT_MAX_FILE_SIZE in bytes. */
  maxUploadBytes: number;
  localFiles: LocalFiles;
  objectStore: ObjectStore;
  metaStore: MetaStore;
  cluster: Cluster;
  /** Builds an uploaded file's side indexes off this thread (`FileIndexPool.build`). */
  buildIndexes: FileIndexPool['build'];
}

/**
 * The upload cycle (every ZO_FILE_PUSH_INTERVAL s): merges the committed local files per
 * stream-hour, puts them in the object store and registers them in file_list.
 */
export class UploadLoop {
  private constructor(
    private readonly uploader: Uploader,
    private readonly logger: Logger,
  ) {}

  /** Builds the uploader and finishes the uploads a crash interrupted (its manifests). */
  static async open(options: UploadLoopOptions): Promise<UploadLoop> {
    const { config, walRoot, maxUploadBytes, localFiles, objectStore, metaStore, cluster } =
      options;
    const { merge, quarantine, health, maxAttempts, maxBackoffMs, now, logger } = options;
    const { buildIndexes } = options;
    const uploader = new Uploader(
      {
        manifestsDir: join(walRoot, 'uploads'),
        maxFileBytes: maxUploadBytes,
        ...(options.maxMergeBytes === undefined ? {} : { maxMergeBytes: options.maxMergeBytes }),
        merge,
        quarantine,
        health,
        maxAttempts,
        maxBackoffMs,
        // Far longer than a leader's file_list read to HotData answer (else it asks again), short
        // enough that a file compacted within it is rare (each costs the leader a second read).
        keepOwnUploadsMs: options.keepOwnUploadsMs ?? OWN_UPLOADS_KEEP_MS,
        now,
        logger,
        // Runs before the data object is put: the trace-id set (traces streams) is written
        // here, the token index is returned for the uploader to store.
        buildIndex: async (body: Uint8Array, entry: FileEntry) => {
          const ref = { org: entry.org, type: entry.type, name: entry.stream };
          const indexes = await buildIndexes(body, {
            type: entry.type,
            settings: (await metaStore.streams.get(ref))?.settings ?? {},
            invertedIndex: config.ZO_ENABLE_INVERTED_INDEX,
          });
          if (indexes.traceIds !== undefined) {
            await objectStore.put(traceIdIndexKey(storedFileKey(entry)), indexes.traceIds);
          }
          return indexes.tokens;
        },
      },
      localFiles,
      objectStore,
      metaStore,
      cluster,
    );
    await uploader.recover();
    return new UploadLoop(uploader, logger);
  }

  /** The local files whose rows the stored file `key` holds, while they still exist. */
  sourcesOf(key: string): readonly string[] | undefined {
    return this.uploader.sourcesOf(key);
  }

  /** This process's uploads of a stream, or undefined when it cannot tell (see `OwnUploads`). */
  ownUploads(key: { org: string; type: string; stream: string }) {
    return this.uploader.own.of(key);
  }

  /**
   * Upload rounds begun. A round uploads only the local files listed when it begins, so a file
   * committed after some instant can only be registered by a round begun after it (see
   * `Snapshotter`).
   */
  cyclesStarted = 0;

  /** One upload round; `force` ignores backoff. */
  async cycle(force = false): Promise<UploadOutcome> {
    this.cyclesStarted++;
    const outcome = await this.uploader.uploadAll(force);
    if (outcome.uploaded > 0) this.logger.debug({ files: outcome.uploaded }, 'uploaded files');
    return outcome;
  }
}
