import type { KvClaim, KvRepository } from '../meta-store.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { toInt } from '../sql/sql-database.js';

export class SqlKvRepository implements KvRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async get(org: string, key: string): Promise<string | undefined> {
    const rows = await this.db.all('SELECT value FROM kv_store WHERE org = $1 AND key = $2', [
      org,
      key,
    ]);
    return rows[0] === undefined ? undefined : String(rows[0]['value']);
  }

  async put(org: string, key: string, value: string): Promise<void> {
    await this.db.run(
      `INSERT INTO kv_store (org, key, value, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [org, key, value, this.now()],
    );
  }

  async delete(org: string, key: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM kv_store WHERE org = $1 AND key = $2', [org, key])) > 0;
  }

  async list(org: string, prefix = ''): Promise<string[]> {
    // substr/length instead of LIKE: LIKE treats % and _ in the prefix as wildcards and is
    // case-insensitive in SQLite but not in Postgres.
    const rows = await this.db.all(
      `SELECT key FROM kv_store WHERE org = $1 AND substr(key, 1, length($2)) = $2 ORDER BY key`,
      [org, prefix],
    );
    return rows.map((row) => String(row['key']));
  }

  async claim(
    org: string,
    key: string,
    value: string,
    nowMs: number,
    staleAfterMs: number,
  ): Promise<KvClaim> {
    // SQLite's two-argument max() is Postgres' GREATEST(); a renewal from a node whose clock
    // is a little behind must not make the holder look older than it is.
    const greatest = this.db.dialect === 'sqlite' ? 'max' : 'GREATEST';
    const won = await this.db.all(
      `INSERT INTO kv_store (org, key, value, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org, key) DO UPDATE
         SET value = excluded.value,
             updated_at = CASE WHEN kv_store.value = excluded.value
                               THEN ${greatest}(kv_store.updated_at, excluded.updated_at)
                               ELSE excluded.updated_at END
         WHERE kv_store.value = excluded.value OR kv_store.updated_at < excluded.updated_at - $5
       RETURNING value, updated_at`,
      [org, key, value, nowMs, staleAfterMs],
    );
    const row =
      won[0] ??
      (
        await this.db.all('SELECT value, updated_at FROM kv_store WHERE org = $1 AND key = $2', [
          org,
          key,
        ])
      )[0];
    // Deleted between the two statements: nobody holds it, so this claim may count as won.
    if (row === undefined) return { value, updatedAt: nowMs };
    return { value: String(row['value']), updatedAt: toInt(row['updated_at']) };
  }
}
