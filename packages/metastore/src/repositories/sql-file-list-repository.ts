import { AppError } from '@o2/errors';
import type {
  FileEntry,
  FileListRepository,
  StoredFileEntry,
  StoredFileKey,
  StreamRef,
  StreamType,
} from '../meta-store.js';
import { chunks, placeholders, toBool, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlExecutor, SqlRow, SqlValue } from '../sql/sql-database.js';

type FileKey = StoredFileKey;

const ENTRY_COLUMNS =
  'org, stream_type, stream_name, date, file, min_ts, max_ts, records, original_size, ' +
  'compressed_size, index_size, flattened';
const WHERE_STREAM = 'org = $1 AND stream_type = $2 AND stream_name = $3';
/** Rows per multi-row statement: 200 × 14 parameters stays far below both dialects' caps. */
const ROWS_PER_STATEMENT = 200;
const NUMERIC_FIELDS = [
  'minTs',
  'maxTs',
  'records',
  'originalSize',
  'compressedSize',
  'indexSize',
] as const;

function toStoredFile(row: SqlRow): StoredFileEntry {
  return {
    id: toInt(row['id']),
    org: String(row['org']),
    type: String(row['stream_type']) as StreamType,
    stream: String(row['stream_name']),
    date: String(row['date']),
    file: String(row['file']),
    minTs: toInt(row['min_ts']),
    maxTs: toInt(row['max_ts']),
    records: toInt(row['records']),
    originalSize: toInt(row['original_size']),
    compressedSize: toInt(row['compressed_size']),
    indexSize: toInt(row['index_size']),
    flattened: toBool(row['flattened']),
    updatedAt: toInt(row['updated_at']),
  };
}

function validate(entry: FileEntry): void {
  for (const field of NUMERIC_FIELDS) {
    if (!Number.isSafeInteger(entry[field])) {
      throw AppError.invalidArgument(
        `file ${entry.file}: ${field} must be an integer, got ${entry[field]}`,
      );
    }
  }
  if (entry.minTs > entry.maxTs) {
    throw AppError.invalidArgument(
      `file ${entry.file}: minTs ${entry.minTs} > maxTs ${entry.maxTs}`,
    );
  }
  if (entry.date === '' || entry.file === '') {
    throw AppError.invalidArgument('file entries need a date and a file name');
  }
}

function wholeId(id: number): number {
  if (!Number.isSafeInteger(id))
    throw AppError.invalidArgument(`file id must be an integer, got ${id}`);
  return id;
}

/**
 * Orders a compaction commit and a stream deletion request of the same stream (Postgres; SQLite
 * transactions already exclude each other): either the commit goes first and the request's
 * high-water mark covers the merged file, or the request goes first and the commit sees it.
 */
export async function lockStreamDeletion(tx: SqlExecutor, ref: StreamRef): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.all(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
    `o2ts.stream_deletion/${ref.org}/${ref.type}/${ref.name}`,
  ]);
}

/** Inserts file_list rows; one already there (a retried registration) is kept as it was. */
async function insertEntries(
  tx: SqlExecutor,
  entries: readonly FileEntry[],
  now: number,
): Promise<void> {
  for (const chunk of chunks(entries, ROWS_PER_STATEMENT)) {
    const params: SqlValue[] = chunk.flatMap((e) => [
      e.org,
      e.type,
      e.stream,
      e.date,
      e.file,
      e.minTs,
      e.maxTs,
      e.records,
      e.originalSize,
      e.compressedSize,
      e.indexSize,
      e.flattened,
      now,
      now,
    ]);
    await tx.run(
      `INSERT INTO file_list (${ENTRY_COLUMNS}, created_at, updated_at)
       VALUES ${placeholders(chunk.length, 14)}
       ON CONFLICT (org, stream_type, stream_name, date, file) DO NOTHING`,
      params,
    );
  }
}

/** Queues files for the delayed purge (once: a repeat keeps the first time). */
async function queueDeleted(
  tx: SqlExecutor,
  ref: StreamRef,
  files: ReadonlyArray<{ date: string; file: string }>,
  now: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO file_list_deleted (org, stream_type, stream_name, date, file, created_at)
     VALUES ${placeholders(files.length, 6)}
     ON CONFLICT (org, stream_type, stream_name, date, file) DO NOTHING`,
    files.flatMap((f) => [ref.org, ref.type, ref.name, f.date, f.file, now]),
  );
}

export class SqlFileListRepository implements FileListRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async add(entries: readonly FileEntry[]): Promise<void> {
    entries.forEach(validate);
    if (entries.length === 0) return;
    const now = this.now();
    await this.db.transaction((tx) => insertEntries(tx, entries, now));
  }

  async replace(
    ref: StreamRef,
    added: readonly FileEntry[],
    removed: ReadonlyArray<{ date: string; file: string }>,
  ): Promise<void> {
    added.forEach(validate);
    for (const entry of added) {
      if (entry.org !== ref.org || entry.type !== ref.type || entry.stream !== ref.name) {
        throw AppError.invalidArgument(`file ${entry.file} is not of the replaced stream`);
      }
    }
    const now = this.now();
    await this.db.transaction(async (tx) => {
      await lockStreamDeletion(tx, ref);
      const deleting = await tx.all(`SELECT 1 FROM stream_deletions WHERE ${WHERE_STREAM}`, [
        ref.org,
        ref.type,
        ref.name,
      ]);
      // A merged file gets a new id, above the deletion's high-water mark: registering it now
      // would bring back data the deletion is about to remove.
      if (deleting.length > 0) {
        throw new AppError('CONFLICT', 'the stream is being deleted; nothing changed');
      }
      for (const chunk of chunks(removed, ROWS_PER_STATEMENT)) {
        const marked = await tx.run(
          `UPDATE file_list SET deleted = TRUE, updated_at = $4
           WHERE ${WHERE_STREAM} AND deleted = FALSE
             AND (date, file) IN (VALUES ${placeholders(chunk.length, 2, 5)})`,
          [ref.org, ref.type, ref.name, now, ...chunk.flatMap((f) => [f.date, f.file])],
        );
        if (marked !== chunk.length) {
          throw new AppError('CONFLICT', 'a replaced file is no longer live; nothing changed');
        }
        await queueDeleted(tx, ref, chunk, now);
      }
      await insertEntries(tx, added, now);
      // A merged file's key is queued for purging before its objects are put (so a compactor
      // that dies before this commit leaves no orphan); registering it takes it off the queue.
      for (const chunk of chunks(added, ROWS_PER_STATEMENT)) {
        await tx.run(
          `DELETE FROM file_list_deleted
           WHERE (org, stream_type, stream_name, date, file) IN (VALUES ${placeholders(chunk.length, 5)})`,
          chunk.flatMap((e) => [e.org, e.type, e.stream, e.date, e.file]),
        );
      }
    });
  }

  async query(
    ref: StreamRef,
    range?: { startTs: number; endTs: number },
  ): Promise<StoredFileEntry[]> {
    const select = `SELECT id, ${ENTRY_COLUMNS}, updated_at FROM file_list
                    WHERE ${WHERE_STREAM} AND deleted = FALSE`;
    const stream = [ref.org, ref.type, ref.name];
    if (range === undefined) {
      const rows = await this.db.all(`${select} ORDER BY min_ts, id`, stream);
      return rows.map(toStoredFile);
    }
    if (!Number.isSafeInteger(range.startTs) || !Number.isSafeInteger(range.endTs)) {
      throw AppError.invalidArgument('file_list range bounds must be integers (µs)');
    }
    if (range.startTs >= range.endTs) return [];
    // A file covers the closed [min_ts, max_ts]; the query range is half-open [startTs, endTs).
    const rows = await this.db.all(
      `${select} AND min_ts < $4 AND max_ts >= $5 ORDER BY min_ts, id`,
      [...stream, range.endTs, range.startTs],
    );
    return rows.map(toStoredFile);
  }

  async get(ref: StreamRef, date: string, file: string): Promise<StoredFileEntry | undefined> {
    const rows = await this.db.all(
      `SELECT id, ${ENTRY_COLUMNS}, updated_at FROM file_list
       WHERE ${WHERE_STREAM} AND date = $4 AND file = $5 AND deleted = FALSE`,
      [ref.org, ref.type, ref.name, date, file],
    );
    return rows[0] === undefined ? undefined : toStoredFile(rows[0]);
  }

  async markDeleted(
    ref: StreamRef,
    files: ReadonlyArray<{ date: string; file: string }>,
  ): Promise<void> {
    if (files.length === 0) return;
    const now = this.now();
    await this.db.transaction(async (tx) => {
      for (const chunk of chunks(files, ROWS_PER_STATEMENT)) {
        const pairs = chunk.flatMap((f) => [f.date, f.file]);
        await tx.run(
          `UPDATE file_list SET deleted = TRUE, updated_at = $4
           WHERE ${WHERE_STREAM} AND deleted = FALSE
             AND (date, file) IN (VALUES ${placeholders(chunk.length, 2, 5)})`,
          [ref.org, ref.type, ref.name, now, ...pairs],
        );
        // Recorded even when file_list had no row: an object uploaded before a crash that
        // prevented its registration still deserves to be purged.
        await queueDeleted(tx, ref, chunk, now);
      }
    });
  }

  async markDeletedUpTo(ref: StreamRef, upToId: number): Promise<number> {
    // Not queued in file_list_deleted: the deletion that marks them removes them itself, so the
    // delayed purge never trips over a stream deletion that keeps failing.
    return this.db.run(
      `UPDATE file_list SET deleted = TRUE, updated_at = $5
       WHERE ${WHERE_STREAM} AND deleted = FALSE AND id <= $4`,
      [ref.org, ref.type, ref.name, wholeId(upToId), this.now()],
    );
  }

  async listDeletedUpTo(ref: StreamRef, upToId: number, limit: number): Promise<FileKey[]> {
    const rows = await this.db.all(
      `SELECT org, stream_type, stream_name, date, file FROM file_list
       WHERE ${WHERE_STREAM} AND deleted = TRUE AND id <= $4 ORDER BY id LIMIT $5`,
      [ref.org, ref.type, ref.name, wholeId(upToId), Math.max(0, Math.floor(limit))],
    );
    return rows.map((row) => ({
      org: String(row['org']),
      type: String(row['stream_type']) as StreamType,
      stream: String(row['stream_name']),
      date: String(row['date']),
      file: String(row['file']),
    }));
  }

  async listDeleted(
    before: number,
    limit: number,
  ): Promise<Array<FileKey & { createdAt: number }>> {
    const rows = await this.db.all(
      `SELECT org, stream_type, stream_name, date, file, created_at FROM file_list_deleted
       WHERE created_at < $1 ORDER BY created_at, id LIMIT $2`,
      [before, Math.max(0, Math.floor(limit))],
    );
    return rows.map((row) => ({
      org: String(row['org']),
      type: String(row['stream_type']) as StreamType,
      stream: String(row['stream_name']),
      date: String(row['date']),
      file: String(row['file']),
      createdAt: toInt(row['created_at']),
    }));
  }

  async purgeDeleted(keys: readonly FileKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const chunk of chunks(keys, ROWS_PER_STATEMENT)) {
        const params = chunk.flatMap((k) => [k.org, k.type, k.stream, k.date, k.file]);
        const list = placeholders(chunk.length, 5);
        await tx.run(
          `DELETE FROM file_list_deleted
           WHERE (org, stream_type, stream_name, date, file) IN (VALUES ${list})`,
          params,
        );
        await tx.run(
          `DELETE FROM file_list WHERE deleted = TRUE
             AND (org, stream_type, stream_name, date, file) IN (VALUES ${list})`,
          params,
        );
      }
    });
  }

  async stats(ref: StreamRef): Promise<{
    fileNum: number;
    records: number;
    originalSize: number;
    compressedSize: number;
    indexSize: number;
    minTs: number;
    maxTs: number;
  }> {
    const rows = await this.db.all(
      `SELECT COUNT(*) AS file_num,
              COALESCE(SUM(records), 0) AS records,
              COALESCE(SUM(original_size), 0) AS original_size,
              COALESCE(SUM(compressed_size), 0) AS compressed_size,
              COALESCE(SUM(index_size), 0) AS index_size,
              COALESCE(MIN(min_ts), 0) AS min_ts,
              COALESCE(MAX(max_ts), 0) AS max_ts
       FROM file_list WHERE ${WHERE_STREAM} AND deleted = FALSE`,
      [ref.org, ref.type, ref.name],
    );
    const row = rows[0] ?? {};
    return {
      fileNum: toInt(row['file_num'] ?? 0),
      records: toInt(row['records'] ?? 0),
      originalSize: toInt(row['original_size'] ?? 0),
      compressedSize: toInt(row['compressed_size'] ?? 0),
      indexSize: toInt(row['index_size'] ?? 0),
      minTs: toInt(row['min_ts'] ?? 0),
      maxTs: toInt(row['max_ts'] ?? 0),
    };
  }
}
