import { createHash } from 'node:crypto';
import { AppError } from '@o2/errors';
import type { IngestionToken, IngestionTokenRepository } from '../management-store.js';
import { onlyRow, toBool, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

const COLUMNS =
  'org, name, token, description, is_default, enabled, created_by, created_at, updated_at';

/** What the value is found by: equality on a digest, so the lookup's timing says nothing. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toToken(row: SqlRow): IngestionToken {
  return {
    org: String(row['org']),
    name: String(row['name']),
    token: String(row['token']),
    description: String(row['description']),
    isDefault: toBool(row['is_default']),
    enabled: toBool(row['enabled']),
    createdBy: String(row['created_by']),
    createdAt: toInt(row['created_at']),
    updatedAt: toInt(row['updated_at']),
  };
}

export class SqlIngestionTokenRepository implements IngestionTokenRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async create(token: Omit<IngestionToken, 'createdAt' | 'updatedAt'>): Promise<IngestionToken> {
    return this.db.transaction(async (tx) => {
      // Checked here rather than left to the foreign key so the error names what is missing.
      const org = await tx.all('SELECT 1 FROM organizations WHERE identifier = $1', [token.org]);
      if (org.length === 0) throw AppError.notFound(`organization "${token.org}" not found`);
      const now = this.now();
      const rows = await tx.all(
        `INSERT INTO org_ingestion_tokens (${COLUMNS}, token_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (org, name) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          token.org,
          token.name,
          token.token,
          token.description,
          token.isDefault,
          token.enabled,
          token.createdBy,
          now,
          now,
          tokenHash(token.token),
        ],
      );
      if (rows[0] === undefined)
        throw new AppError(
          'ALREADY_EXISTS',
          `Token with name '${token.name}' already exists in this org`,
        );
      return toToken(rows[0]);
    });
  }

  async get(org: string, name: string): Promise<IngestionToken | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM org_ingestion_tokens WHERE org = $1 AND name = $2`,
      [org, name],
    );
    return rows[0] === undefined ? undefined : toToken(rows[0]);
  }

  async list(org: string): Promise<IngestionToken[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM org_ingestion_tokens WHERE org = $1
       ORDER BY is_default DESC, created_at DESC, name`,
      [org],
    );
    return rows.map(toToken);
  }

  async findByValue(token: string): Promise<IngestionToken | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM org_ingestion_tokens WHERE token_hash = $1`,
      [tokenHash(token)],
    );
    return rows[0] === undefined ? undefined : toToken(rows[0]);
  }

  async setEnabled(org: string, name: string, enabled: boolean): Promise<IngestionToken> {
    const rows = await this.db.all(
      `UPDATE org_ingestion_tokens SET enabled = $3, updated_at = $4
       WHERE org = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [org, name, enabled, this.now()],
    );
    if (rows.length === 0) throw AppError.notFound(`Token '${name}' not found`);
    return toToken(onlyRow(rows));
  }

  async rotate(org: string, name: string, token: string): Promise<IngestionToken> {
    const rows = await this.db.all(
      `UPDATE org_ingestion_tokens SET token = $3, token_hash = $4, updated_at = $5
       WHERE org = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [org, name, token, tokenHash(token), this.now()],
    );
    if (rows.length === 0) throw AppError.notFound(`Token '${name}' not found`);
    return toToken(onlyRow(rows));
  }

  async delete(org: string, name: string): Promise<boolean> {
    const removed = await this.db.run(
      'DELETE FROM org_ingestion_tokens WHERE org = $1 AND name = $2',
      [org, name],
    );
    return removed > 0;
  }
}
