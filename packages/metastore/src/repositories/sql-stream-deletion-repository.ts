import type {
  StreamDeletion,
  StreamDeletionRepository,
  StreamRef,
  StreamType,
} from '../meta-store.js';
import { lockStreamDeletion } from './sql-file-list-repository.js';
import { onlyRow, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

const COLUMNS = 'org, stream_type, stream_name, requested_at, last_file_id';
const WHERE_STREAM = 'org = $1 AND stream_type = $2 AND stream_name = $3';

function toDeletion(row: SqlRow): StreamDeletion {
  return {
    org: String(row['org']),
    type: String(row['stream_type']) as StreamType,
    name: String(row['stream_name']),
    requestedAt: toInt(row['requested_at']),
    lastFileId: toInt(row['last_file_id']),
  };
}

export class SqlStreamDeletionRepository implements StreamDeletionRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async request(ref: StreamRef): Promise<StreamDeletion> {
    // The file_list high-water mark is read in the same statement as the request is written, so
    // the files the request covers are exactly those registered before it. A renewal only moves
    // forward: it never shrinks what an earlier request already covered.
    const rows = await this.db.transaction(async (tx) => {
      await lockStreamDeletion(tx, ref);
      return tx.all(
        `INSERT INTO stream_deletions (${COLUMNS})
       VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(id), 0) FROM file_list))
       ON CONFLICT (org, stream_type, stream_name) DO UPDATE SET
         requested_at = CASE WHEN excluded.requested_at > stream_deletions.requested_at
                             THEN excluded.requested_at ELSE stream_deletions.requested_at END,
         last_file_id = CASE WHEN excluded.last_file_id > stream_deletions.last_file_id
                             THEN excluded.last_file_id ELSE stream_deletions.last_file_id END
       RETURNING ${COLUMNS}`,
        [ref.org, ref.type, ref.name, this.now()],
      );
    });
    return toDeletion(onlyRow(rows));
  }

  async get(ref: StreamRef): Promise<StreamDeletion | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM stream_deletions WHERE ${WHERE_STREAM}`,
      [ref.org, ref.type, ref.name],
    );
    return rows[0] === undefined ? undefined : toDeletion(rows[0]);
  }

  async list(org: string): Promise<StreamDeletion[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM stream_deletions WHERE org = $1 ORDER BY stream_type, stream_name`,
      [org],
    );
    return rows.map(toDeletion);
  }

  async pending(limit: number): Promise<StreamDeletion[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM stream_deletions
       ORDER BY requested_at, org, stream_type, stream_name LIMIT $1`,
      [Math.max(0, Math.floor(limit))],
    );
    return rows.map(toDeletion);
  }

  async complete(deletion: StreamDeletion): Promise<boolean> {
    const removed = await this.db.run(
      `DELETE FROM stream_deletions
       WHERE ${WHERE_STREAM} AND requested_at = $4 AND last_file_id = $5`,
      [deletion.org, deletion.type, deletion.name, deletion.requestedAt, deletion.lastFileId],
    );
    return removed > 0;
  }
}
