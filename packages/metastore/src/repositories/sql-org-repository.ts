import { AppError } from '@o2/errors';
import type { OrgRepository, OrgType, Organization } from '../meta-store.js';
import { onlyRow, recode, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

const COLUMNS = 'identifier, name, org_type, created_at';

function toOrganization(row: SqlRow): Organization {
  return {
    identifier: String(row['identifier']),
    name: String(row['name']),
    type: String(row['org_type']) as OrgType,
    createdAt: toInt(row['created_at']),
  };
}

export class SqlOrgRepository implements OrgRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async create(org: Omit<Organization, 'createdAt'>): Promise<Organization> {
    const rows = await recode(
      this.db.all(
        `INSERT INTO organizations (${COLUMNS}) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [org.identifier, org.name, org.type, this.now()],
      ),
      'ALREADY_EXISTS',
      (cause) =>
        new AppError('ALREADY_EXISTS', `organization "${org.identifier}" already exists`, {
          cause,
        }),
    );
    return toOrganization(onlyRow(rows));
  }

  async ensure(org: Omit<Organization, 'createdAt'>): Promise<Organization> {
    await this.db.run(
      `INSERT INTO organizations (${COLUMNS}) VALUES ($1, $2, $3, $4)
       ON CONFLICT (identifier) DO NOTHING`,
      [org.identifier, org.name, org.type, this.now()],
    );
    const stored = await this.get(org.identifier);
    if (stored === undefined) {
      // Only possible if someone deleted it in between; there is no org delete today.
      throw AppError.internal(`organization "${org.identifier}" vanished after ensure`);
    }
    return stored;
  }

  async get(identifier: string): Promise<Organization | undefined> {
    const rows = await this.db.all(`SELECT ${COLUMNS} FROM organizations WHERE identifier = $1`, [
      identifier,
    ]);
    return rows[0] === undefined ? undefined : toOrganization(rows[0]);
  }

  async list(): Promise<Organization[]> {
    const rows = await this.db.all(`SELECT ${COLUMNS} FROM organizations ORDER BY identifier`);
    return rows.map(toOrganization);
  }
}
