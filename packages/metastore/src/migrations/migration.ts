import { AppError } from '@o2/errors';
import type { MigrationReport } from '../meta-store.js';
import { toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlDialect } from '../sql/sql-database.js';

export interface Migration {
  /** 1, 2, 3 … in order; never renumbered once released. */
  version: number;
  name: string;
  /** Parameterless DDL script, run in the same transaction that records the version. */
  sql: string;
}

export interface MigrationSet {
  dialect: SqlDialect;
  /** Run first in every migration transaction to serialise concurrent migrators. */
  lockStatement?: string;
  migrations: readonly Migration[];
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

function latestVersion(set: MigrationSet): number {
  let previous = 0;
  for (const m of set.migrations) {
    if (m.version !== previous + 1) {
      throw AppError.internal(
        `${set.dialect} migrations must be numbered 1, 2, 3 …; got ${m.version}`,
      );
    }
    previous = m.version;
  }
  return previous;
}

/**
 * Applies the pending migrations, each in its own transaction together with its
 * schema_migrations row, so a crash leaves the database at a recorded version. Every transaction
 * re-reads the version under the lock, so two processes starting at once apply each migration
 * exactly once. A database newer than this code is refused rather than written to.
 */
export async function runMigrations(
  db: SqlDatabase,
  set: MigrationSet,
  now: () => number,
): Promise<MigrationReport> {
  const latest = latestVersion(set);
  let from: number | undefined;
  const applied: number[] = [];
  for (;;) {
    const done = await db.transaction(async (tx) => {
      if (set.lockStatement !== undefined) await tx.run(set.lockStatement);
      await tx.exec(CREATE_TABLE);
      const rows = await tx.all(
        'SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations',
      );
      const current = toInt(rows[0]?.['version'] ?? 0);
      from ??= current;
      if (current > latest) {
        throw new AppError(
          'FAILED_PRECONDITION',
          `database schema version ${current} is newer than this O2TS (${latest}); upgrade O2TS`,
        );
      }
      const next = set.migrations.find((m) => m.version > current);
      if (next === undefined) return true;
      await tx.exec(next.sql);
      await tx.run(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [next.version, next.name, now()],
      );
      applied.push(next.version);
      return next.version === latest;
    });
    if (done) return { from: from ?? 0, to: latest, applied };
  }
}
