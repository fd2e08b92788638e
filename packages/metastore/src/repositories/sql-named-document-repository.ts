import { AppError } from '@o2/errors';
import type { NamedDocument, NamedDocumentRepository } from '../alert-store.js';
import { onlyRow, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow, SqlValue } from '../sql/sql-database.js';

const COLUMNS = 'org, name, kind, data, created_at, updated_at';

function toDocument(row: SqlRow): NamedDocument {
  return {
    org: String(row['org']),
    name: String(row['name']),
    kind: String(row['kind']),
    data: String(row['data']),
    createdAt: toInt(row['created_at']),
    updatedAt: toInt(row['updated_at']),
  };
}

/** Destinations and templates: the same shape in two tables (names fixed here, never input). */
export class SqlNamedDocumentRepository implements NamedDocumentRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
    private readonly table: 'alert_destinations' | 'alert_templates',
    private readonly what: string,
  ) {}

  async create(doc: Pick<NamedDocument, 'org' | 'name' | 'kind' | 'data'>): Promise<NamedDocument> {
    const now = this.now();
    try {
      const rows = await this.db.all(
        `INSERT INTO ${this.table} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${COLUMNS}`,
        [doc.org, doc.name, doc.kind, doc.data, now],
      );
      return toDocument(onlyRow(rows));
    } catch (error) {
      if (error instanceof AppError && error.code === 'ALREADY_EXISTS')
        throw new AppError('ALREADY_EXISTS', `${this.what} with this name already exists`, {
          cause: error,
        });
      throw error;
    }
  }

  async get(org: string, name: string): Promise<NamedDocument | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE org = $1 AND name = $2`,
      [org, name],
    );
    return rows[0] === undefined ? undefined : toDocument(rows[0]);
  }

  async list(org: string, kind?: string): Promise<NamedDocument[]> {
    const params: SqlValue[] = [org];
    if (kind !== undefined) params.push(kind);
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE org = $1${kind === undefined ? '' : ' AND kind = $2'}
       ORDER BY name`,
      params,
    );
    return rows.map(toDocument);
  }

  async update(org: string, name: string, kind: string, data: string): Promise<NamedDocument> {
    const rows = await this.db.all(
      `UPDATE ${this.table} SET kind = $3, data = $4, updated_at = $5
       WHERE org = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [org, name, kind, data, this.now()],
    );
    if (rows[0] === undefined) throw AppError.notFound(`${this.what} not found`);
    return toDocument(rows[0]);
  }

  async delete(org: string, names: readonly string[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const deleted: string[] = [];
      for (const name of names) {
        const n = await tx.run(`DELETE FROM ${this.table} WHERE org = $1 AND name = $2`, [
          org,
          name,
        ]);
        if (n > 0) deleted.push(name);
      }
      return deleted;
    });
  }
}
