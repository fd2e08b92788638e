import { join } from 'node:path';
import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import type { Logger } from '@o2/logger';
import type { FileEntry, MetaStore } from '@o2/metastore';
import type { ObjectStore } from '@o2/storage';
import { fullTextIndex } from './persist/full-text-index.js';
import type { LocalFiles } from './persist/local-files.js';
import { writeTraceIdIndex } from './persist/trace-id-index.js';
import { Uploader } from './persist/uploader.js';
import type { UploadOutcome, UploaderOptions } from './persist/uploader.js';

export interface UploadLoopOptions extends Omit<
  UploaderOptions,
  'buildIndex' | 'manifestsDir' | 'maxFileBytes'
> {
  config: Config;
  walRoot: string;
  /** ZO_COMPACT_MAX_FILE_SIZE in bytes. */
  maxUploadBytes: number;
  localFiles: LocalFiles;
  objectStore: ObjectStore;
  metaStore: MetaStore;
  cluster: Cluster;
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
    const uploader = new Uploader(
      {
        manifestsDir: join(walRoot, 'uploads'),
        maxFileBytes: maxUploadBytes,
        merge,
        quarantine,
        health,
        maxAttempts,
        maxBackoffMs,
        now,
        logger,
        // Runs before the data object is put: the trace-id index (traces streams) is written
        // here, the token index is returned for the uploader to store.
        buildIndex: async (body: Uint8Array, entry: FileEntry) => {
          await writeTraceIdIndex(objectStore, body, entry);
          return config.ZO_ENABLE_INVERTED_INDEX
            ? fullTextIndex(metaStore, body, entry)
            : undefined;
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

  /** One upload round; `force` ignores backoff. */
  async cycle(force = false): Promise<UploadOutcome> {
    const outcome = await this.uploader.uploadAll(force);
    if (outcome.uploaded > 0) this.logger.debug({ files: outcome.uploaded }, 'uploaded files');
    return outcome;
  }
}
