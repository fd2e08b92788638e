import { AppError } from '@o2/errors';
import type {
  DashboardContent,
  DashboardListFilter,
  DashboardRepository,
  StoredDashboard,
} from '../dashboard-store.js';
import { onlyRow, placeholders, recode, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow, SqlValue } from '../sql/sql-database.js';

const COLUMNS =
  'org, dashboard_id, folder_id, title, description, owner, role, created, version, hash, data, ' +
  'created_at, updated_at';

function toDashboard(row: SqlRow): StoredDashboard {
  return {
    org: String(row['org']),
    dashboardId: String(row['dashboard_id']),
    folderId: String(row['folder_id']),
    title: String(row['title']),
    description: String(row['description']),
    owner: String(row['owner']),
    role: String(row['role']),
    created: String(row['created']),
    version: toInt(row['version']),
    hash: String(row['hash']),
    data: String(row['data']),
    createdAt: toInt(row['created_at']),
    updatedAt: toInt(row['updated_at']),
  };
}

const contentValues = (c: DashboardContent): SqlValue[] => [
  c.title,
  c.description,
  c.owner,
  c.role,
  c.created,
  c.version,
  c.hash,
  c.data,
];

export class SqlDashboardRepository implements DashboardRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async create(
    d: Pick<StoredDashboard, 'org' | 'dashboardId' | 'folderId'> & DashboardContent,
  ): Promise<StoredDashboard> {
    const insert = this.db.all(
      `INSERT INTO dashboards (${COLUMNS}) VALUES ${placeholders(1, 13)} RETURNING ${COLUMNS}`,
      [d.org, d.dashboardId, d.folderId, ...contentValues(d), this.now(), d.updatedAt],
    );
    const rows = await recode(
      recode(
        insert,
        'NOT_FOUND',
        (cause) => new AppError('NOT_FOUND', 'Folder not found', { cause }),
      ),
      'ALREADY_EXISTS',
      (cause) => new AppError('ALREADY_EXISTS', 'Dashboard already exists', { cause }),
    );
    return toDashboard(onlyRow(rows));
  }

  async get(org: string, dashboardId: string): Promise<StoredDashboard | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM dashboards WHERE org = $1 AND dashboard_id = $2`,
      [org, dashboardId],
    );
    return rows[0] === undefined ? undefined : toDashboard(rows[0]);
  }

  async list(org: string, filter: DashboardListFilter = {}): Promise<StoredDashboard[]> {
    const params: SqlValue[] = [org];
    let folder = '';
    if (filter.folderId !== undefined) {
      params.push(filter.folderId);
      folder = ' AND folder_id = $2';
    }
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM dashboards WHERE org = $1${folder}
       ORDER BY updated_at DESC, dashboard_id`,
      params,
    );
    // The title search runs here: the dialects share no substring function, and LIKE would
    // treat % and _ in the search text as wildcards.
    const title = filter.title?.toLowerCase() ?? '';
    const found = rows
      .map(toDashboard)
      .filter((d) => title === '' || d.title.toLowerCase().includes(title));
    return filter.limit === undefined ? found : found.slice(0, Math.max(0, filter.limit));
  }

  async count(org: string): Promise<number> {
    const rows = await this.db.all('SELECT COUNT(*) AS n FROM dashboards WHERE org = $1', [org]);
    return toInt(rows[0]?.['n'] ?? 0);
  }

  async update(
    org: string,
    dashboardId: string,
    expectedHash: string,
    content: DashboardContent,
  ): Promise<StoredDashboard> {
    // Compare-and-set in the UPDATE itself: two writers holding the same hash cannot both win.
    const rows = await this.db.all(
      `UPDATE dashboards SET title = $4, description = $5, owner = $6, role = $7, created = $8,
         version = $9, hash = $10, data = $11, updated_at = $12
       WHERE org = $1 AND dashboard_id = $2 AND hash = $3 RETURNING ${COLUMNS}`,
      [org, dashboardId, expectedHash, ...contentValues(content), content.updatedAt],
    );
    if (rows[0] !== undefined) return toDashboard(rows[0]);
    if ((await this.get(org, dashboardId)) === undefined)
      throw AppError.notFound('Dashboard not found');
    throw new AppError(
      'CONFLICT',
      'Conflict: Failed to save due to concurrent changes. Please refresh the page after ' +
        'backing up your work to avoid losing changes.',
    );
  }

  async move(
    org: string,
    dashboardIds: readonly string[],
    toFolderId: string,
    fromFolderId?: string,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const id of dashboardIds) {
        const params: SqlValue[] = [org, id, toFolderId, this.now() * 1000];
        let from = '';
        if (fromFolderId !== undefined) {
          params.push(fromFolderId);
          from = ' AND folder_id = $5';
        }
        const moved = await recode(
          tx.run(
            `UPDATE dashboards SET folder_id = $3, updated_at = $4
             WHERE org = $1 AND dashboard_id = $2${from}`,
            params,
          ),
          'NOT_FOUND',
          (cause) => new AppError('NOT_FOUND', 'Folder not found', { cause }),
        );
        if (moved === 0) throw AppError.notFound(`Dashboard ${id} not found`);
      }
    });
  }

  async delete(org: string, dashboardIds: readonly string[]): Promise<string[]> {
    if (dashboardIds.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const deleted: string[] = [];
      for (const id of dashboardIds) {
        // Annotations go by ON DELETE CASCADE.
        const n = await tx.run('DELETE FROM dashboards WHERE org = $1 AND dashboard_id = $2', [
          org,
          id,
        ]);
        if (n > 0) deleted.push(id);
      }
      return deleted;
    });
  }
}
