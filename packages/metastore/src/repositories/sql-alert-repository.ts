import { AppError } from '@o2/errors';
import type {
  AlertContent,
  AlertListFilter,
  AlertOutcome,
  AlertRepository,
  AlertState,
  StoredAlert,
} from '../alert-store.js';
import { onlyRow, placeholders, recode, toBool, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlExecutor, SqlRow, SqlValue } from '../sql/sql-database.js';

const COLUMNS =
  'org, alert_id, folder_id, name, enabled, is_real_time, stream_type, stream_name, owner, data, ' +
  'last_edited_by, created_at, updated_at';
const STATE_COLUMNS =
  'org, alert_id, next_run_at, last_triggered_at, last_satisfied_at, silenced_until, ' +
  'fingerprints, claimed_by, claimed_at';

function toAlert(row: SqlRow): StoredAlert {
  return {
    org: String(row['org']),
    alertId: String(row['alert_id']),
    folderId: String(row['folder_id']),
    name: String(row['name']),
    enabled: toBool(row['enabled']),
    isRealTime: toBool(row['is_real_time']),
    streamType: String(row['stream_type']),
    streamName: String(row['stream_name']),
    owner: String(row['owner']),
    data: String(row['data']),
    lastEditedBy: String(row['last_edited_by']),
    createdAt: toInt(row['created_at']),
    updatedAt: toInt(row['updated_at']),
  };
}

function toState(row: SqlRow): AlertState {
  return {
    org: String(row['org']),
    alertId: String(row['alert_id']),
    nextRunAt: toInt(row['next_run_at']),
    lastTriggeredAt: toInt(row['last_triggered_at']),
    lastSatisfiedAt: toInt(row['last_satisfied_at']),
    silencedUntil: toInt(row['silenced_until']),
    fingerprints: String(row['fingerprints']),
    claimedBy: String(row['claimed_by']),
    claimedAt: toInt(row['claimed_at']),
  };
}

const contentValues = (c: AlertContent): SqlValue[] => [
  c.name,
  c.enabled ? 1 : 0,
  c.isRealTime ? 1 : 0,
  c.streamType,
  c.streamName,
  c.owner,
  c.data,
  c.lastEditedBy,
];

const nameTaken = (cause: AppError) =>
  new AppError('ALREADY_EXISTS', 'Alert with this name already exists in the folder', { cause });
const folderMissing = (cause: AppError) => new AppError('NOT_FOUND', 'Folder not found', { cause });

export class SqlAlertRepository implements AlertRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async create(
    a: Pick<StoredAlert, 'org' | 'alertId' | 'folderId'> & AlertContent,
    nextRunAt: number,
  ): Promise<StoredAlert> {
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const rows = await recode(
        recode(
          tx.all(
            `INSERT INTO alerts (${COLUMNS}) VALUES ${placeholders(1, 13)} RETURNING ${COLUMNS}`,
            [a.org, a.alertId, a.folderId, ...contentValues(a), now, now],
          ),
          'NOT_FOUND',
          folderMissing,
        ),
        'ALREADY_EXISTS',
        nameTaken,
      );
      await tx.run('INSERT INTO alert_states (org, alert_id, next_run_at) VALUES ($1, $2, $3)', [
        a.org,
        a.alertId,
        nextRunAt,
      ]);
      return toAlert(onlyRow(rows));
    });
  }

  async get(org: string, alertId: string): Promise<StoredAlert | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM alerts WHERE org = $1 AND alert_id = $2`,
      [org, alertId],
    );
    return rows[0] === undefined ? undefined : toAlert(rows[0]);
  }

  async getByName(org: string, folderId: string, name: string): Promise<StoredAlert | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM alerts WHERE org = $1 AND folder_id = $2 AND name = $3`,
      [org, folderId, name],
    );
    return rows[0] === undefined ? undefined : toAlert(rows[0]);
  }

  async list(org: string, filter: AlertListFilter = {}): Promise<StoredAlert[]> {
    const where = ['org = $1'];
    const params: SqlValue[] = [org];
    const add = (column: string, value: SqlValue | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add('folder_id', filter.folderId);
    add('enabled', filter.enabled === undefined ? undefined : filter.enabled ? 1 : 0);
    add('is_real_time', filter.isRealTime === undefined ? undefined : filter.isRealTime ? 1 : 0);
    add('stream_type', filter.streamType);
    add('stream_name', filter.streamName);
    add('owner', filter.owner);
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM alerts WHERE ${where.join(' AND ')} ORDER BY name, alert_id`,
      params,
    );
    // The substring match runs here: LIKE would read % and _ in the search text as wildcards.
    const needle = filter.nameSubstring?.toLowerCase() ?? '';
    return rows.map(toAlert).filter((a) => a.name.toLowerCase().includes(needle));
  }

  async listRealTime(org: string, streamType: string, streamName: string): Promise<StoredAlert[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM alerts WHERE org = $1 AND stream_type = $2 AND stream_name = $3
         AND is_real_time = 1 AND enabled = 1 ORDER BY name, alert_id`,
      [org, streamType, streamName],
    );
    return rows.map(toAlert);
  }

  async update(
    org: string,
    alertId: string,
    content: AlertContent,
    nextRunAt: number,
  ): Promise<StoredAlert> {
    return this.db.transaction(async (tx) => {
      const rows = await recode(
        tx.all(
          `UPDATE alerts SET name = $3, enabled = $4, is_real_time = $5, stream_type = $6,
             stream_name = $7, owner = $8, data = $9, last_edited_by = $10, updated_at = $11
           WHERE org = $1 AND alert_id = $2 RETURNING ${COLUMNS}`,
          [org, alertId, ...contentValues(content), this.now()],
        ),
        'ALREADY_EXISTS',
        nameTaken,
      );
      if (rows[0] === undefined) throw AppError.notFound('Alert not found');
      await this.#reschedule(tx, org, alertId, nextRunAt);
      return toAlert(rows[0]);
    });
  }

  async setEnabled(
    org: string,
    alertIds: readonly string[],
    enabled: boolean,
    nextRunAt: number,
  ): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const found: string[] = [];
      for (const id of alertIds) {
        const n = await tx.run(
          'UPDATE alerts SET enabled = $3, updated_at = $4 WHERE org = $1 AND alert_id = $2',
          [org, id, enabled ? 1 : 0, this.now()],
        );
        if (n === 0) continue;
        found.push(id);
        await this.#reschedule(tx, org, id, nextRunAt);
      }
      return found;
    });
  }

  async move(org: string, alertIds: readonly string[], toFolderId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const id of alertIds) {
        const moved = await recode(
          recode(
            tx.run(
              'UPDATE alerts SET folder_id = $3, updated_at = $4 WHERE org = $1 AND alert_id = $2',
              [org, id, toFolderId, this.now()],
            ),
            'NOT_FOUND',
            folderMissing,
          ),
          'ALREADY_EXISTS',
          nameTaken,
        );
        if (moved === 0) throw AppError.notFound(`Alert ${id} not found`);
      }
    });
  }

  async delete(org: string, alertIds: readonly string[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const deleted: string[] = [];
      for (const id of alertIds) {
        // The state row goes by ON DELETE CASCADE.
        const n = await tx.run('DELETE FROM alerts WHERE org = $1 AND alert_id = $2', [org, id]);
        if (n > 0) deleted.push(id);
      }
      return deleted;
    });
  }

  async state(org: string, alertId: string): Promise<AlertState | undefined> {
    const rows = await this.db.all(
      `SELECT ${STATE_COLUMNS} FROM alert_states WHERE org = $1 AND alert_id = $2`,
      [org, alertId],
    );
    return rows[0] === undefined ? undefined : toState(rows[0]);
  }

  async states(org: string): Promise<AlertState[]> {
    const rows = await this.db.all(`SELECT ${STATE_COLUMNS} FROM alert_states WHERE org = $1`, [
      org,
    ]);
    return rows.map(toState);
  }

  async due(nowMs: number, limit: number): Promise<AlertState[]> {
    const rows = await this.db.all(
      `SELECT ${STATE_COLUMNS.split(', ')
        .map((c) => `s.${c}`)
        .join(', ')}
       FROM alert_states s JOIN alerts a ON a.org = s.org AND a.alert_id = s.alert_id
       WHERE s.next_run_at > 0 AND s.next_run_at <= $1 AND a.enabled = 1 AND a.is_real_time = 0
       ORDER BY s.next_run_at, s.org, s.alert_id LIMIT $2`,
      [nowMs, Math.max(0, Math.floor(limit))],
    );
    return rows.map(toState);
  }

  async claim(
    org: string,
    alertId: string,
    expectedNextRunAt: number,
    nextRunAt: number,
    claimedBy: string,
  ): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE alert_states SET next_run_at = $4, claimed_by = $5, claimed_at = $6
       WHERE org = $1 AND alert_id = $2 AND next_run_at = $3`,
      [org, alertId, expectedNextRunAt, nextRunAt, claimedBy, this.now()],
    );
    return n === 1;
  }

  async reschedule(org: string, alertId: string, nextRunAt: number): Promise<boolean> {
    return (await this.#reschedule(this.db, org, alertId, nextRunAt)) > 0;
  }

  #reschedule(tx: SqlExecutor, org: string, alertId: string, nextRunAt: number) {
    return tx.run('UPDATE alert_states SET next_run_at = $3 WHERE org = $1 AND alert_id = $2', [
      org,
      alertId,
      nextRunAt,
    ]);
  }

  async recordOutcome(org: string, alertId: string, outcome: AlertOutcome): Promise<void> {
    const sets: string[] = [];
    const params: SqlValue[] = [org, alertId];
    const columns: Array<[keyof AlertOutcome, string]> = [
      ['lastTriggeredAt', 'last_triggered_at'],
      ['lastSatisfiedAt', 'last_satisfied_at'],
      ['silencedUntil', 'silenced_until'],
      ['fingerprints', 'fingerprints'],
    ];
    for (const [key, column] of columns) {
      const value = outcome[key];
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) return;
    await this.db.run(
      `UPDATE alert_states SET ${sets.join(', ')} WHERE org = $1 AND alert_id = $2`,
      params,
    );
  }
}
