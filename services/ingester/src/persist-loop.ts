import { join } from 'node:path';
import type { Config } from '@o2/config';
import type { Logger } from '@o2/logger';
import { openWal } from '@o2/wal';
import type { Wal } from '@o2/wal';
import { MB } from './ingester-settings.js';
import type { Memtables } from './memtable/memtables.js';
import { describeFailure } from './persist/failure-class.js';
import { LocalFiles } from './persist/local-files.js';
import { Persister, committedThrough } from './persist/persister.js';
import type { Encoder, RetryOutcome } from './persist/persister.js';
import type { Quarantine } from './persist/quarantine.js';
import type { StoreHealth } from './persist/store-health.js';
import type { WriteGate } from './write-gate.js';

export interface PersistLoopOptions {
  config: Config;
  walRoot: string;
  memtables: Memtables;
  gate: WriteGate;
  health: StoreHealth;
  quarantine: Quarantine;
  encode: Encoder;
  maxAttempts: number;
  maxBackoffMs: number;
  /** Largest Arrow bytes a persist encodes as one file (`Persister`'s `sliceBytes`). */
  sliceBytes?: number;
  now: () => number;
  logger: Logger;
}

/**
 * The persist cycle (every ZO_MEM_PERSIST_INTERVAL s, or sooner under memory pressure): commits
 * every memtable as local Parquet in one atomic directory, then drops the WAL the rows came
 * from; tables that fail stay pending inside the commit and are retried with backoff.
 */
export class PersistLoop {
  private constructor(
    /** The open WAL (appended by the write path, rotated and dropped here). */
    readonly wal: Wal,
    readonly persister: Persister,
    /** Committed local files not uploaded yet. */
    readonly localFiles: LocalFiles,
    private readonly options: PersistLoopOptions,
  ) {}

  /**
   * Opens the WAL, drops segments already committed as files before a crash, rebuilds the
   * local file list and recovers pending tables. Replaying the WAL is the caller's next step.
   */
  static async open(options: PersistLoopOptions): Promise<PersistLoop> {
    const { config, walRoot, now } = options;
    const dirs = { staging: join(walRoot, 'staging'), files: join(walRoot, 'files') };
    const wal = await openWal({
      dir: join(walRoot, 'log'),
      fsync: !config.ZO_WAL_FSYNC_DISABLED,
      maxSegmentBytes: config.ZO_MAX_FILE_SIZE_ON_DISK * MB,
      maxSegmentAgeMs: config.ZO_MAX_FILE_RETENTION_TIME * 1000,
      now,
    });
    try {
      return await PersistLoop.recover(wal, dirs, options);
    } catch (error) {
      // Left open, the WAL's file handles would outlive a start that failed.
      await wal.close().catch(() => undefined);
      throw error;
    }
  }

  private static async recover(
    wal: Wal,
    dirs: { staging: string; files: string },
    options: PersistLoopOptions,
  ): Promise<PersistLoop> {
    // Segments whose rows were committed as files before a crash must not be replayed.
    const committed = await committedThrough(dirs.files);
    if (committed >= 0) {
      await wal.rotate();
      if (wal.segments().some((s) => !s.active && s.id <= committed))
        await wal.dropThrough(committed);
    }
    const localFiles = await LocalFiles.scan(dirs.files);
    await options.quarantine.init();
    const { encode, quarantine, maxAttempts, maxBackoffMs, sliceBytes, now, logger } = options;
    const persister = new Persister({
      dirs,
      encode,
      ...(sliceBytes === undefined ? {} : { sliceBytes }),
      ...(options.config.ZO_PARQUET_MAX_ROW_GROUP_SIZE > 0
        ? { rowGroupSize: options.config.ZO_PARQUET_MAX_ROW_GROUP_SIZE }
        : {}),
      localFiles,
      quarantine,
      maxAttempts,
      maxBackoffMs,
      now,
      logger,
    });
    await persister.recover();
    return new PersistLoop(wal, persister, localFiles, options);
  }

  /**
   * Commits the memtables (a table that fails is kept pending inside the commit, so the WAL
   * is dropped either way), then retries earlier pending tables; `force` ignores backoff.
   */
  async cycle(force = false): Promise<RetryOutcome> {
    const { memtables, gate, health, logger } = this.options;
    const wal = this.wal;
    const { tables, segment } = await gate.exclusive(async () => {
      memtables.rotate();
      return { tables: memtables.takeImmutables(), segment: await wal.rotate() };
    });
    if (tables.length === 0) {
      if (segment >= 0 && wal.segments().some((s) => !s.active && s.id <= segment))
        await wal.dropThrough(segment);
    } else {
      try {
        const files = await this.persister.commit(tables, segment);
        memtables.settle(tables, true);
        await wal.dropThrough(segment);
        health.succeeded('local disk');
        logger.debug({ files: files.length, segment }, 'persisted memtables');
      } catch (error) {
        memtables.settle(tables, false);
        // Nothing could be committed (not even pending files): readiness says so.
        health.failed('local disk', describeFailure(error));
        throw error;
      }
    }
    return this.persister.retryPending(force);
  }
}
