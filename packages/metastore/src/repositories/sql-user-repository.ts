import { AppError } from '@o2/errors';
import { normalizeEmail } from '@o2/domain';
import type { UserRole } from '@o2/domain';
import type { Membership, User, UserRepository } from '../meta-store.js';
import { onlyRow, recode, toBool, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlExecutor, SqlRow } from '../sql/sql-database.js';

const USER_COLUMNS = 'email, first_name, last_name, password_hash, is_root, created_at, updated_at';
const MEMBER_COLUMNS = 'org, email, role, token, created_at';

function toUser(row: SqlRow, prefix = ''): User {
  return {
    email: String(row[`${prefix}email`]),
    firstName: String(row[`${prefix}first_name`]),
    lastName: String(row[`${prefix}last_name`]),
    passwordHash: String(row[`${prefix}password_hash`]),
    isRoot: toBool(row[`${prefix}is_root`]),
    createdAt: toInt(row[`${prefix}created_at`]),
    updatedAt: toInt(row[`${prefix}updated_at`]),
  };
}

function toMembership(row: SqlRow): Membership {
  return {
    org: String(row['org']),
    email: String(row['email']),
    role: String(row['role']) as UserRole,
    passcode: String(row['token']),
    createdAt: toInt(row['created_at']),
  };
}

async function exists(tx: SqlExecutor, sql: string, key: string): Promise<boolean> {
  return (await tx.all(sql, [key])).length > 0;
}

export class SqlUserRepository implements UserRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async create(user: Omit<User, 'createdAt' | 'updatedAt'>): Promise<User> {
    const email = normalizeEmail(user.email);
    const now = this.now();
    const rows = await recode(
      this.db.all(
        `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $6)
         RETURNING ${USER_COLUMNS}`,
        [email, user.firstName, user.lastName, user.passwordHash, user.isRoot, now],
      ),
      'ALREADY_EXISTS',
      (cause) =>
        new AppError(
          'ALREADY_EXISTS',
          user.isRoot ? `a root user already exists` : `user "${email}" already exists`,
          { cause },
        ),
    );
    return toUser(onlyRow(rows));
  }

  async get(email: string): Promise<User | undefined> {
    const rows = await this.db.all(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [
      normalizeEmail(email),
    ]);
    return rows[0] === undefined ? undefined : toUser(rows[0]);
  }

  async getRoot(): Promise<User | undefined> {
    const rows = await this.db.all(`SELECT ${USER_COLUMNS} FROM users WHERE is_root = $1`, [true]);
    return rows[0] === undefined ? undefined : toUser(rows[0]);
  }

  async update(
    email: string,
    patch: Partial<Pick<User, 'firstName' | 'lastName' | 'passwordHash'>>,
  ): Promise<User> {
    const normalized = normalizeEmail(email);
    // COALESCE keeps a column whose patch field is absent, so one static statement serves all.
    const rows = await this.db.all(
      `UPDATE users SET
         first_name = COALESCE($2, first_name),
         last_name = COALESCE($3, last_name),
         password_hash = COALESCE($4, password_hash),
         updated_at = $5
       WHERE email = $1
       RETURNING ${USER_COLUMNS}`,
      [
        normalized,
        patch.firstName ?? null,
        patch.lastName ?? null,
        patch.passwordHash ?? null,
        this.now(),
      ],
    );
    if (rows[0] === undefined) throw AppError.notFound(`user "${normalized}" not found`);
    return toUser(rows[0]);
  }

  async delete(email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM sessions WHERE email = $1', [normalized]);
      await tx.run('DELETE FROM org_users WHERE email = $1', [normalized]);
      const removed = await tx.run('DELETE FROM users WHERE email = $1', [normalized]);
      if (removed === 0) throw AppError.notFound(`user "${normalized}" not found`);
    });
  }

  async putMembership(membership: Omit<Membership, 'createdAt'>): Promise<Membership> {
    const email = normalizeEmail(membership.email);
    return this.db.transaction(async (tx) => {
      // Checked here rather than left to the foreign keys so the error names what is missing.
      if (!(await exists(tx, 'SELECT 1 FROM users WHERE email = $1', email))) {
        throw AppError.notFound(`user "${email}" not found`);
      }
      if (
        !(await exists(tx, 'SELECT 1 FROM organizations WHERE identifier = $1', membership.org))
      ) {
        throw AppError.notFound(`organization "${membership.org}" not found`);
      }
      const rows = await tx.all(
        `INSERT INTO org_users (${MEMBER_COLUMNS}) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (org, email) DO UPDATE SET role = excluded.role, token = excluded.token
         RETURNING ${MEMBER_COLUMNS}`,
        [membership.org, email, membership.role, membership.passcode, this.now()],
      );
      return toMembership(onlyRow(rows));
    });
  }

  async getMembership(org: string, email: string): Promise<Membership | undefined> {
    const rows = await this.db.all(
      `SELECT ${MEMBER_COLUMNS} FROM org_users WHERE org = $1 AND email = $2`,
      [org, normalizeEmail(email)],
    );
    return rows[0] === undefined ? undefined : toMembership(rows[0]);
  }

  async removeMembership(org: string, email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    const removed = await this.db.run('DELETE FROM org_users WHERE org = $1 AND email = $2', [
      org,
      normalized,
    ]);
    if (removed === 0) {
      throw AppError.notFound(`user "${normalized}" is not a member of "${org}"`);
    }
  }

  async listMembers(org: string): Promise<Array<{ user: User; membership: Membership }>> {
    const rows = await this.db.all(
      `SELECT m.org, m.email, m.role, m.token, m.created_at,
              u.email AS u_email, u.first_name AS u_first_name, u.last_name AS u_last_name,
              u.password_hash AS u_password_hash, u.is_root AS u_is_root,
              u.created_at AS u_created_at, u.updated_at AS u_updated_at
       FROM org_users m JOIN users u ON u.email = m.email
       WHERE m.org = $1
       ORDER BY m.email`,
      [org],
    );
    return rows.map((row) => ({ user: toUser(row, 'u_'), membership: toMembership(row) }));
  }

  async listMemberships(email: string): Promise<Membership[]> {
    const rows = await this.db.all(
      `SELECT ${MEMBER_COLUMNS} FROM org_users WHERE email = $1 ORDER BY org`,
      [normalizeEmail(email)],
    );
    return rows.map(toMembership);
  }

  async findByPasscode(email: string, passcode: string): Promise<Membership | undefined> {
    // An empty passcode must never authenticate, whatever a row happens to hold.
    if (passcode === '') return undefined;
    const rows = await this.db.all(
      `SELECT ${MEMBER_COLUMNS} FROM org_users WHERE email = $1 AND token = $2 ORDER BY org LIMIT 1`,
      [normalizeEmail(email), passcode],
    );
    return rows[0] === undefined ? undefined : toMembership(rows[0]);
  }
}
