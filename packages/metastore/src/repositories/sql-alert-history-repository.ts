import type {
  AlertHistoryEntry,
  AlertHistoryQuery,
  AlertHistoryRepository,
} from '../alert-store.js';
import { placeholders, toBool, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow, SqlValue } from '../sql/sql-database.js';

const COLUMNS =
  'org, entry_id, alert_id, alert_name, timestamp, status, is_real_time, start_time, end_time, ' +
  'rows_count, evaluation_ms, error, node';

function toEntry(row: SqlRow): AlertHistoryEntry {
  return {
    org: String(row['org']),
    entryId: String(row['entry_id']),
    alertId: String(row['alert_id']),
    alertName: String(row['alert_name']),
    timestamp: toInt(row['timestamp']),
    status: String(row['status']),
    isRealTime: toBool(row['is_real_time']),
    startTime: toInt(row['start_time']),
    endTime: toInt(row['end_time']),
    rowsCount: toInt(row['rows_count']),
    evaluationMs: toInt(row['evaluation_ms']),
    error: String(row['error']),
    node: String(row['node']),
  };
}

// Sort columns come from this table only, never from the request text.
const SORT_COLUMNS: Record<AlertHistoryQuery['sortBy'], string> = {
  timestamp: 'timestamp',
  alert_name: 'alert_name',
  status: 'status',
};

export class SqlAlertHistoryRepository implements AlertHistoryRepository {
  constructor(private readonly db: SqlDatabase) {}

  async add(e: AlertHistoryEntry): Promise<void> {
    await this.db.run(`INSERT INTO alert_history (${COLUMNS}) VALUES ${placeholders(1, 13)}`, [
      e.org,
      e.entryId,
      e.alertId,
      e.alertName,
      e.timestamp,
      e.status,
      e.isRealTime ? 1 : 0,
      e.startTime,
      e.endTime,
      e.rowsCount,
      e.evaluationMs,
      e.error,
      e.node,
    ]);
  }

  async query(
    org: string,
    q: AlertHistoryQuery,
  ): Promise<{ total: number; hits: AlertHistoryEntry[] }> {
    const where = ['org = $1'];
    const params: SqlValue[] = [org];
    if (q.alertId !== undefined) {
      params.push(q.alertId);
      where.push(`alert_id = $${params.length}`);
    }
    if (q.startTime !== undefined) {
      params.push(q.startTime);
      where.push(`timestamp >= $${params.length}`);
    }
    if (q.endTime !== undefined) {
      params.push(q.endTime);
      where.push(`timestamp <= $${params.length}`);
    }
    const clause = where.join(' AND ');
    const counted = await this.db.all(
      `SELECT COUNT(*) AS n FROM alert_history WHERE ${clause}`,
      params,
    );
    const order = q.sortOrder === 'asc' ? 'ASC' : 'DESC';
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM alert_history WHERE ${clause}
       ORDER BY ${SORT_COLUMNS[q.sortBy]} ${order}, entry_id ${order}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, Math.max(0, q.size), Math.max(0, q.from)],
    );
    return { total: toInt(counted[0]?.['n'] ?? 0), hits: rows.map(toEntry) };
  }
}
