import { AppError } from '@o2/errors';
import { normalizeEmail } from '@o2/domain';
import type { Session, SessionRepository } from '../meta-store.js';
import { recode, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

function toSession(row: SqlRow): Session {
  return {
    id: String(row['id']),
    email: String(row['email']),
    createdAt: toInt(row['created_at']),
    expiresAt: toInt(row['expires_at']),
  };
}

export class SqlSessionRepository implements SessionRepository {
  constructor(private readonly db: SqlDatabase) {}

  /** ALREADY_EXISTS for a reused id; NOT_FOUND when the user does not exist. */
  async create(session: Session): Promise<void> {
    const email = normalizeEmail(session.email);
    await recode(
      recode(
        this.db.run(
          'INSERT INTO sessions (id, email, created_at, expires_at) VALUES ($1, $2, $3, $4)',
          [session.id, email, session.createdAt, session.expiresAt],
        ),
        'ALREADY_EXISTS',
        (cause) => new AppError('ALREADY_EXISTS', 'session id already exists', { cause }),
      ),
      'NOT_FOUND',
      (cause) => new AppError('NOT_FOUND', `user "${email}" not found`, { cause }),
    );
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const rows = await this.db.all(
      'SELECT id, email, created_at, expires_at FROM sessions WHERE id = $1 AND expires_at > $2',
      [id, now],
    );
    return rows[0] === undefined ? undefined : toSession(rows[0]);
  }

  async delete(id: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE id = $1', [id]);
  }

  async deleteExpired(now: number): Promise<number> {
    return this.db.run('DELETE FROM sessions WHERE expires_at <= $1', [now]);
  }
}
