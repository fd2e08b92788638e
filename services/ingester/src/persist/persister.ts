import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import type { Logger } from '@o2/logger';
import { relativeFileKey } from '@o2/domain';
import { clustersRows, DEFAULT_ROW_GROUP_SIZE, FileIdGenerator } from '@o2/parquet';
import type { ColumnSpec, EncodedParquet, ParquetFileStats } from '@o2/parquet';
import type { Memtable, StreamKey } from '../memtable/memtables.js';
import { classifyFailure, describeFailure } from './failure-class.js';
import { syncDir, syncTree, writeFileAtomic, writeFileSynced } from './fs-atomic.js';
import { META_SUFFIX, removeFile } from './local-files.js';
import type { LocalFile, LocalFileMeta, LocalFiles } from './local-files.js';
import { copyGroups, fileRuns, wholeTable } from './file-runs.js';
import { PendingTables } from './pending-tables.js';
import type { PendingMeta, PendingTable } from './pending-tables.js';
import type { Quarantine } from './quarantine.js';
import { afterFailure, isDue } from './retry-backoff.js';

export interface PersisterDirs {
  /** Where a commit is assembled; wiped at start. */
  staging: string;
  /** Committed directories `{segment}-{n}/…`, each holding one persist cycle's files. */
  files: string;
}

/** Writes Parquet (the ingester's `ParquetEncoderPool`, its row-group size applied). */
export interface Encoder {
  /** A whole table (a pending table read back from its Arrow file). */
  encode(table: Table, options?: { originalSize?: number }): Promise<EncodedParquet>;
  /**
   * A memtable's rows, one row group pulled at a time (`FileGroups.copy`), in file order; the
   * groups' size is the file's row-group size.
   */
  encodeGroups(
    groups: Iterable<Table>,
    stats: ParquetFileStats,
    options: { rowGroupSize: number },
  ): Promise<EncodedParquet>;
}

export interface PersisterOptions {
  dirs: PersisterDirs;
  encode: Encoder;
  localFiles: LocalFiles;
  quarantine: Quarantine;
  /** Counted (persistent) failures of one table before it is quarantined. */
  maxAttempts: number;
  maxBackoffMs: number;
  /** Largest Arrow bytes encoded as one file (see `fileRuns`); 0 or absent: no limit. */
  sliceBytes?: number;
  /** Rows per Parquet row group (`encode` writes them so); absent: DEFAULT_ROW_GROUP_SIZE. */
  rowGroupSize?: number;
  now: () => number;
  logger: Logger;
}

/** What a table is, apart from its rows. */
interface TableIdentity extends StreamKey {
  hour: number;
  partitions: ReadonlyArray<readonly [string, string]>;
}

/** Outcome of retrying the pending tables. */
export interface RetryOutcome {
  /** Tables still pending after this round (failed again, or not due yet). */
  pending: number;
  /** The first failure of this round, for callers that must say why a flush is incomplete. */
  error?: string;
}

/** The highest WAL segment whose rows are all in committed local files, from the dir names. */
export async function committedThrough(filesDir: string): Promise<number> {
  let max = -1;
  try {
    for (const name of await readdir(filesDir)) {
      const segment = Number(name.split('-')[0]);
      if (Number.isInteger(segment)) max = Math.max(max, segment);
    }
  } catch {
    // no files dir yet
  }
  return max;
}

/** Relative path of a table's Parquet file inside a commit dir (throws for unusable names). */
function relativePath(table: TableIdentity, id: string): string {
  return relativeFileKey({
    org: table.org,
    streamType: table.type,
    stream: table.stream,
    ts: table.hour,
    partitions: table.partitions,
    id,
  });
}

/** `YYYY/MM/DD/HH` plus partition dirs, as operators see a partition. */
export function partitionLabel(relative: string | undefined, table: TableIdentity): string {
  if (relative !== undefined) return relative.split('/').slice(3, -1).join('/');
  const hour = new Date(table.hour / 1000).toISOString().slice(0, 13).replace(/[-T]/g, '/');
  return [hour, ...table.partitions.map(([k, v]) => `${k}=${v}`)].join('/');
}

/**
 * Turns frozen memtables into local Parquet files as one atomic commit: every file of a cycle
 * is written and fsynced into a staging directory, which is then renamed into `files/` in one
 * step. A crash before the rename leaves nothing (the WAL still has the rows); after it, the
 * directory name records the WAL segment the commit covers, so those segments are dropped
 * instead of replayed — each acknowledged row ends up in exactly one file.
 *
 * A table that cannot be encoded or written does not stop the others: its rows go into the
 * same commit as an Arrow file (see PendingTables), retried with backoff in later cycles and,
 * after `maxAttempts` failures that are its own fault, moved to quarantine. Only when even
 * that write fails does the whole commit fail (nothing is dropped from the WAL then).
 */
export class Persister {
  private readonly ids = new FileIdGenerator();
  private readonly pending = new PendingTables();
  private readonly groupRows: number;
  private sequence = 0;
  /** Tables staged by the last commit: they just failed, so this cycle does not retry them. */
  private justStaged = new Set<string>();

  constructor(private readonly options: PersisterOptions) {
    this.groupRows = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  }

  /** Removes half-written commits left by a crash and picks up pending tables. */
  async recover(): Promise<void> {
    const { dirs } = this.options;
    await rm(dirs.staging, { recursive: true, force: true });
    await mkdir(dirs.staging, { recursive: true });
    await mkdir(dirs.files, { recursive: true });
    for (const table of await this.pending.scan(dirs.files)) {
      if (table.meta.quarantineId !== undefined) await this.toQuarantine(table, table.meta);
    }
  }

  /**
   * Writes the tables and commits them under `segment`. Each table's rows are encoded straight
   * from its builder, a row group at a time (no whole-table copy); queries keep reading the
   * builder until the files are listed. On failure the builders still hold every row and the
   * error is rethrown.
   */
  async commit(tables: readonly Memtable[], segment: number): Promise<LocalFile[]> {
    const name = `${segment}-${Date.now()}-${this.sequence++}`;
    const stagingDir = join(this.options.dirs.staging, name);
    try {
      const written: Array<{ relative: string; meta: LocalFileMeta }> = [];
      const staged: Array<{ id: string; meta: PendingMeta }> = [];
      for (const table of tables) {
        const { builder } = table;
        if (builder.length === 0) continue;
        const schema = builder.schema.map((c) => ({ name: c.name, type: c.type }));
        const groups = builder.fileGroups(
          this.groupRows,
          clustersRows(table.type) ? { clusterGroupRows: this.groupRows } : {},
        );
        const bytes = table.taken?.bytes ?? builder.byteSize;
        let id = '';
        let relative: string | undefined;
        // A table's files are committed all or none: a failed one makes it a pending table.
        const parts: Array<{ relative: string; meta: LocalFileMeta }> = [];
        try {
          const runs = fileRuns(groups, bytes, this.options.sliceBytes ?? 0);
          for (const run of runs) {
            id = this.ids.next();
            relative = relativePath(table, id);
            const encode = (): Promise<EncodedParquet> =>
              this.options.encode.encodeGroups(copyGroups(groups, run.from, run.to), run.stats, {
                rowGroupSize: this.groupRows,
              });
            parts.push(await this.writeParquet(stagingDir, relative, table, encode, schema, false));
          }
          written.push(...parts);
        } catch (error) {
          for (const part of parts) await removeFile(join(stagingDir, part.relative));
          if (relative !== undefined) await removeFile(join(stagingDir, relative));
          const meta = this.pendingMeta(table, builder.length, schema, id, relative, error);
          this.options.logger.warn(
            { org: table.org, stream: table.stream, error: meta.lastError },
            'table failed to persist; kept as a pending Arrow file and retried',
          );
          await this.pending.stage(stagingDir, id, wholeTable(groups), meta);
          staged.push({ id, meta });
        }
      }
      if (written.length === 0 && staged.length === 0) {
        await rm(stagingDir, { recursive: true, force: true });
        return [];
      }
      await syncTree(stagingDir);
      const committedDir = join(this.options.dirs.files, name);
      await rename(stagingDir, committedDir);
      await syncDir(this.options.dirs.files);
      this.pending.track(committedDir, staged);
      this.justStaged = new Set(staged.map((s) => s.id));
      const files = written.map(({ relative, meta }) => ({
        path: join(committedDir, relative),
        commitDir: committedDir,
        meta,
      }));
      // In one step with listing the files: a snapshot sees these rows in memory or on disk.
      for (const table of tables) table.committed = true;
      for (const file of files) this.options.localFiles.add(file);
      return files;
    } catch (error) {
      for (const table of tables) delete table.committed;
      await rm(stagingDir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Retries the pending tables that are due (all of them when `force`): each becomes a Parquet
   * file of its commit, or counts one more failure, or goes to quarantine.
   */
  async retryPending(force: boolean): Promise<RetryOutcome> {
    const { now, maxAttempts, maxBackoffMs, logger } = this.options;
    let error: string | undefined;
    let left = 0;
    const skip = this.justStaged;
    this.justStaged = new Set();
    for (const table of this.pending.list()) {
      if (skip.has(table.id) || !isDue(table.meta, now(), force)) {
        left++;
        error ??= table.meta.lastError;
        continue;
      }
      try {
        await this.convert(table);
        logger.info(
          { org: table.meta.org, stream: table.meta.stream, rows: table.meta.rows },
          'pending table persisted',
        );
      } catch (failure) {
        const counts = classifyFailure(failure) === 'persistent';
        const state = afterFailure(table.meta, now(), {
          counts,
          error: describeFailure(failure),
          maxBackoffMs,
        });
        const meta = { ...table.meta, ...state };
        if (counts && meta.attempts >= maxAttempts) {
          await this.toQuarantine(table, { ...meta, quarantineId: `persist-${table.id}` });
          continue;
        }
        await this.pending.update(table, meta);
        error ??= meta.lastError;
        left++;
      }
    }
    return error === undefined ? { pending: left } : { pending: left, error };
  }

  /** The pending tables of one stream, for queries (read from disk). */
  async pendingTables(key: StreamKey): Promise<Table[]> {
    const tables: Table[] = [];
    for (const table of this.pending.list()) {
      const m = table.meta;
      if (m.org === key.org && m.type === key.type && m.stream === key.stream)
        tables.push(await this.pending.load(table));
    }
    return tables;
  }

  /** Sidecars of the pending tables (hot stats count their rows). */
  pendingMetas(): PendingMeta[] {
    return this.pending.list().map((t) => t.meta);
  }

  /** Writes one pending table as Parquet into its commit; its Arrow file goes afterwards. */
  private async convert(table: PendingTable): Promise<void> {
    const arrow = await this.pending.load(table);
    const relative = table.meta.relative ?? relativePath(table.meta, table.meta.fileId);
    if (table.meta.relative === undefined)
      await this.pending.update(table, { ...table.meta, relative });
    const written = await this.writeParquet(
      table.commitDir,
      relative,
      table.meta,
      () => this.options.encode.encode(arrow),
      table.meta.schema,
      true,
    );
    this.options.localFiles.add({
      path: join(table.commitDir, relative),
      commitDir: table.commitDir,
      meta: written.meta,
    });
    await this.pending.remove(table);
  }

  private async toQuarantine(table: PendingTable, meta: PendingMeta): Promise<void> {
    const quarantineId = meta.quarantineId ?? `persist-${table.id}`;
    if (table.meta.quarantineId === undefined)
      await this.pending.update(table, { ...meta, quarantineId });
    await this.options.quarantine.add(
      quarantineId,
      {
        org: meta.org,
        streamType: meta.type,
        stream: meta.stream,
        partition: partitionLabel(meta.relative, meta),
        stage: 'persist',
        rows: meta.rows,
        bytes: meta.bytes,
        error: meta.lastError,
        attempts: meta.attempts,
        firstFailedAt: meta.firstFailedAt,
      },
      [
        { from: table.arrowPath, name: `${table.id}.arrow` },
        { from: table.metaPath, name: `${table.id}.pending.json` },
      ],
    );
    await this.pending.remove(table);
    this.options.logger.error(
      { org: meta.org, stream: meta.stream, rows: meta.rows, error: meta.lastError },
      `table quarantined after ${meta.attempts} failed persists`,
    );
  }

  private pendingMeta(
    table: Memtable,
    rows: number,
    schema: ColumnSpec[],
    fileId: string,
    relative: string | undefined,
    error: unknown,
  ): PendingMeta {
    const counts = classifyFailure(error) === 'persistent';
    const state = afterFailure(undefined, this.options.now(), {
      counts,
      error: describeFailure(error),
      maxBackoffMs: this.options.maxBackoffMs,
    });
    return {
      ...state,
      org: table.org,
      type: table.type,
      stream: table.stream,
      hour: table.hour,
      partitions: table.partitions.map(([k, v]) => [k, v]),
      fileId,
      ...(relative === undefined ? {} : { relative }),
      rows,
      bytes: table.taken?.bytes ?? 0,
      minTs: table.taken?.minTs ?? 0,
      maxTs: table.taken?.maxTs ?? 0,
      schema,
    };
  }

  /**
   * Encodes and writes a Parquet file and its sidecar under `dir`. The sidecar is written
   * last: a Parquet file without one is not committed (never scanned).
   */
  private async writeParquet(
    dir: string,
    relative: string,
    table: TableIdentity,
    encode: () => Promise<EncodedParquet>,
    schema: ColumnSpec[],
    /** Inside an already committed dir the sidecar must appear atomically (temp + rename). */
    inPlace: boolean,
  ): Promise<{ relative: string; meta: LocalFileMeta }> {
    const encoded = await encode();
    const path = join(dir, relative);
    await mkdir(dirname(path), { recursive: true });
    const meta: LocalFileMeta = {
      org: table.org,
      type: table.type,
      stream: table.stream,
      date: relative.split('/').slice(3, 7).join('/'),
      // `k=v/` directories between the hour and the file name, as file_list keeps them.
      partitionDirs: relative
        .split('/')
        .slice(7, -1)
        .map((d) => `${d}/`)
        .join(''),
      records: encoded.records,
      minTs: encoded.minTs,
      maxTs: encoded.maxTs,
      originalSize: encoded.originalSize,
      compressedSize: encoded.compressedSize,
      schema,
    };
    await writeFileSynced(path, encoded.bytes);
    if (inPlace) await writeFileAtomic(`${path}${META_SUFFIX}`, JSON.stringify(meta));
    else await writeFileSynced(`${path}${META_SUFFIX}`, JSON.stringify(meta));
    return { relative, meta };
  }
}
