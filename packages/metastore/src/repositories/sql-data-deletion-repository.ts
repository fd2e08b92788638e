import { AppError } from '@o2/errors';
import type { DataDeletion, DataDeletionRepository } from '../data-deletion-store.js';
import type { StreamRef, StreamType } from '../meta-store.js';
import { onlyRow, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

const COLUMNS =
  'id, org, stream_type, stream_name, start_ts, end_ts, requested_at, completed_at, files';

function toDeletion(row: SqlRow): DataDeletion {
  const completedAt = row['completed_at'];
  return {
    id: toInt(row['id']),
    org: String(row['org']),
    type: String(row['stream_type']) as StreamType,
    name: String(row['stream_name']),
    startTs: toInt(row['start_ts']),
    endTs: toInt(row['end_ts']),
    requestedAt: toInt(row['requested_at']),
    ...(completedAt === null || completedAt === undefined
      ? {}
      : { completedAt: toInt(completedAt) }),
    files: toInt(row['files']),
  };
}

export class SqlDataDeletionRepository implements DataDeletionRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async request(ref: StreamRef, startTs: number, endTs: number): Promise<DataDeletion> {
    if (!Number.isSafeInteger(startTs) || !Number.isSafeInteger(endTs) || startTs >= endTs) {
      throw AppError.invalidArgument('a data deletion needs integer µs bounds with start < end');
    }
    const rows = await this.db.all(
      `INSERT INTO data_deletions (org, stream_type, stream_name, start_ts, end_ts, requested_at, files)
       VALUES ($1, $2, $3, $4, $5, $6, 0) RETURNING ${COLUMNS}`,
      [ref.org, ref.type, ref.name, startTs, endTs, this.now()],
    );
    return toDeletion(onlyRow(rows));
  }

  async get(org: string, id: number): Promise<DataDeletion | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM data_deletions WHERE org = $1 AND id = $2`,
      [org, id],
    );
    return rows[0] === undefined ? undefined : toDeletion(rows[0]);
  }

  async pending(limit: number): Promise<DataDeletion[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM data_deletions WHERE completed_at IS NULL ORDER BY id LIMIT $1`,
      [Math.max(0, Math.floor(limit))],
    );
    return rows.map(toDeletion);
  }

  async complete(id: number, files: number): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE data_deletions SET completed_at = $2, files = $3
       WHERE id = $1 AND completed_at IS NULL`,
      [id, this.now(), files],
    );
    return changed > 0;
  }
}
