import { AppError } from '@o2/errors';
import type { StreamRecord, StreamRef, StreamRepository, StreamType } from '../meta-store.js';
import { fromJson, onlyRow, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

const COLUMNS = 'org, stream_type, stream_name, settings, metadata, created_at, updated_at';
const INSERT_COLUMNS = 'org, stream_type, stream_name, settings, created_at, updated_at';

function toStream(row: SqlRow): StreamRecord {
  return {
    org: String(row['org']),
    type: String(row['stream_type']) as StreamType,
    name: String(row['stream_name']),
    settings: fromJson<Record<string, unknown>>(row['settings']),
    metadata: fromJson<Record<string, string>>(row['metadata']),
    createdAt: toInt(row['created_at']),
    updatedAt: toInt(row['updated_at']),
  };
}

export function describeStream(ref: StreamRef): string {
  return `${ref.org}/${ref.type}/${ref.name}`;
}

export class SqlStreamRepository implements StreamRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async ensure(ref: StreamRef, settings: Record<string, unknown> = {}): Promise<StreamRecord> {
    const now = this.now();
    await this.db.run(
      `INSERT INTO streams (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (org, stream_type, stream_name) DO NOTHING`,
      [ref.org, ref.type, ref.name, JSON.stringify(settings), now],
    );
    const stored = await this.get(ref);
    if (stored === undefined) {
      throw AppError.internal(`stream ${describeStream(ref)} vanished after ensure`);
    }
    return stored;
  }

  async get(ref: StreamRef): Promise<StreamRecord | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM streams WHERE org = $1 AND stream_type = $2 AND stream_name = $3`,
      [ref.org, ref.type, ref.name],
    );
    return rows[0] === undefined ? undefined : toStream(rows[0]);
  }

  async list(org: string, type?: StreamType): Promise<StreamRecord[]> {
    const rows =
      type === undefined
        ? await this.db.all(
            `SELECT ${COLUMNS} FROM streams WHERE org = $1 ORDER BY stream_type, stream_name`,
            [org],
          )
        : await this.db.all(
            `SELECT ${COLUMNS} FROM streams WHERE org = $1 AND stream_type = $2
             ORDER BY stream_name`,
            [org, type],
          );
    return rows.map(toStream);
  }

  async putSettings(ref: StreamRef, settings: Record<string, unknown>): Promise<StreamRecord> {
    const rows = await this.db.all(
      `UPDATE streams SET settings = $4, updated_at = $5
       WHERE org = $1 AND stream_type = $2 AND stream_name = $3
       RETURNING ${COLUMNS}`,
      [ref.org, ref.type, ref.name, JSON.stringify(settings), this.now()],
    );
    if (rows.length === 0) throw AppError.notFound(`stream ${describeStream(ref)} not found`);
    return toStream(onlyRow(rows));
  }

  async putMetadata(
    ref: StreamRef,
    entries: Record<string, string>,
    only?: 'missing',
  ): Promise<StreamRecord> {
    await this.ensure(ref);
    const key = [ref.org, ref.type, ref.name];
    // Read-merge-write in one transaction, so two writers of different keys both land.
    const rows = await this.db.transaction(async (tx) => {
      const current = await tx.all(
        'SELECT metadata FROM streams WHERE org = $1 AND stream_type = $2 AND stream_name = $3',
        key,
      );
      const stored = fromJson<Record<string, string>>(current[0]?.['metadata'] ?? '{}');
      const merged = only === 'missing' ? { ...entries, ...stored } : { ...stored, ...entries };
      return tx.all(
        `UPDATE streams SET metadata = $4, updated_at = $5
         WHERE org = $1 AND stream_type = $2 AND stream_name = $3
         RETURNING ${COLUMNS}`,
        [...key, JSON.stringify(merged), this.now()],
      );
    });
    return toStream(onlyRow(rows));
  }

  async delete(ref: StreamRef): Promise<void> {
    const key = [ref.org, ref.type, ref.name];
    await this.db.transaction(async (tx) => {
      await tx.run(
        'DELETE FROM stream_schemas WHERE org = $1 AND stream_type = $2 AND stream_name = $3',
        key,
      );
      await tx.run(
        'DELETE FROM streams WHERE org = $1 AND stream_type = $2 AND stream_name = $3',
        key,
      );
    });
  }
}
