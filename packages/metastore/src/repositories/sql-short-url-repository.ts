import type { ShortUrlRepository } from '../management-store.js';
import type { SqlDatabase } from '../sql/sql-database.js';

export class SqlShortUrlRepository implements ShortUrlRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async put(org: string, id: string, url: string): Promise<string> {
    await this.db.run(
      `INSERT INTO short_urls (org, short_id, original_url, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org, short_id) DO NOTHING`,
      [org, id, url, this.now()],
    );
    // Rows are never changed or deleted, so what is read now is what the id stands for.
    return (await this.get(org, id)) ?? url;
  }

  async get(org: string, id: string): Promise<string | undefined> {
    const rows = await this.db.all(
      'SELECT original_url FROM short_urls WHERE org = $1 AND short_id = $2',
      [org, id],
    );
    return rows[0] === undefined ? undefined : String(rows[0]['original_url']);
  }
}
