import { AppError } from '@o2/errors';
import { DEFAULT_FOLDER_ID } from '../dashboard-store.js';
import type { Folder, FolderRepository, FolderType } from '../dashboard-store.js';
import { onlyRow, recode, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

const COLUMNS = 'org, folder_type, folder_id, name, description, created_at, updated_at';
const WHERE_ID = 'org = $1 AND folder_type = $2 AND folder_id = $3';

function toFolder(row: SqlRow): Folder {
  return {
    org: String(row['org']),
    type: String(row['folder_type']) as FolderType,
    folderId: String(row['folder_id']),
    name: String(row['name']),
    description: String(row['description']),
    createdAt: toInt(row['created_at']),
    updatedAt: toInt(row['updated_at']),
  };
}

const nameTaken = (cause: AppError): AppError =>
  new AppError('ALREADY_EXISTS', 'Folder with this name already exists in this organization', {
    cause,
  });

export class SqlFolderRepository implements FolderRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async ensureDefault(org: string, type: FolderType): Promise<Folder> {
    // Read first: this runs on every folder and dashboard call, and a read is cheaper than an
    // INSERT … ON CONFLICT, which takes a write lock on SQLite.
    const existing = await this.get(org, type, DEFAULT_FOLDER_ID);
    if (existing !== undefined) return existing;
    // O2's default folder is named and described "default". Callers ensure it before creating
    // other folders, so no user folder can have taken the name first.
    await this.db.run(
      `INSERT INTO folders (${COLUMNS}) VALUES ($1, $2, $3, $3, $3, $4, $4) ON CONFLICT DO NOTHING`,
      [org, type, DEFAULT_FOLDER_ID, this.now()],
    );
    const stored = await this.get(org, type, DEFAULT_FOLDER_ID);
    if (stored === undefined)
      throw AppError.internal(`default ${type} folder of ${org} could not be created`);
    return stored;
  }

  async create(folder: Omit<Folder, 'createdAt' | 'updatedAt'>): Promise<Folder> {
    const now = this.now();
    const rows = await recode(
      this.db.all(
        `INSERT INTO folders (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${COLUMNS}`,
        [folder.org, folder.type, folder.folderId, folder.name, folder.description, now],
      ),
      'ALREADY_EXISTS',
      nameTaken,
    );
    return toFolder(onlyRow(rows));
  }

  async get(org: string, type: FolderType, folderId: string): Promise<Folder | undefined> {
    const rows = await this.db.all(`SELECT ${COLUMNS} FROM folders WHERE ${WHERE_ID}`, [
      org,
      type,
      folderId,
    ]);
    return rows[0] === undefined ? undefined : toFolder(rows[0]);
  }

  async getByName(org: string, type: FolderType, name: string): Promise<Folder | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM folders WHERE org = $1 AND folder_type = $2 AND name = $3`,
      [org, type, name],
    );
    return rows[0] === undefined ? undefined : toFolder(rows[0]);
  }

  async list(org: string, type: FolderType): Promise<Folder[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM folders WHERE org = $1 AND folder_type = $2
       ORDER BY CASE WHEN folder_id = $3 THEN 0 ELSE 1 END, name, folder_id`,
      [org, type, DEFAULT_FOLDER_ID],
    );
    return rows.map(toFolder);
  }

  async update(
    org: string,
    type: FolderType,
    folderId: string,
    patch: { name: string; description: string },
  ): Promise<Folder> {
    const rows = await recode(
      this.db.all(
        `UPDATE folders SET name = $4, description = $5, updated_at = $6 WHERE ${WHERE_ID}
         RETURNING ${COLUMNS}`,
        [org, type, folderId, patch.name, patch.description, this.now()],
      ),
      'ALREADY_EXISTS',
      nameTaken,
    );
    if (rows[0] === undefined) throw AppError.notFound('Folder not found');
    return toFolder(rows[0]);
  }

  async delete(org: string, type: FolderType, folderId: string): Promise<void> {
    // Dashboards and alerts each live in folders of their own type.
    const held = type === 'alerts' ? 'alerts' : 'dashboards';
    const notEmpty = () =>
      new AppError(
        'FAILED_PRECONDITION',
        `Folder contains ${held}, please move/delete ${held} from folder`,
      );
    await this.db.transaction(async (tx) => {
      const rows = await tx.all(`SELECT 1 AS one FROM ${held} WHERE ${WHERE_ID} LIMIT 1`, [
        org,
        type,
        folderId,
      ]);
      if (rows.length > 0) throw notEmpty();
      // The foreign key refuses the delete if a dashboard was saved into it meanwhile.
      const removed = await recode(
        tx.run(`DELETE FROM folders WHERE ${WHERE_ID}`, [org, type, folderId]),
        'NOT_FOUND',
        notEmpty,
      );
      if (removed === 0) throw AppError.notFound('Folder not found');
    });
  }
}
