import { randomUUID } from 'node:crypto';
import type { MetaStore } from '@o2/metastore';

/** O2's `EnrichmentTableUrlJob`, as `GET /enrichment_tables/status` lists it. */
export interface UrlJob {
  id: string;
  org_id: string;
  table_name: string;
  url: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  error_message: string | null;
  created_at: number;
  updated_at: number;
  total_bytes_fetched: number;
  total_records_processed: number;
  retry_count: number;
  append_data: boolean;
  last_byte_position: number;
  supports_range: boolean;
}

/** Internal KV keys (the public KV API only reaches keys under `kv/`). */
const PREFIX = 'enrichment_url_jobs/';

/**
 * The record of tables loaded from a URL, per org in the metastore's KV: each fetch appends one
 * finished job (completed or failed); a replacing fetch starts the table's list afresh.
 */
export class UrlJobs {
  constructor(
    private readonly metaStore: MetaStore,
    private readonly now: () => number = Date.now,
  ) {}

  async record(
    org: string,
    table: string,
    job: Pick<UrlJob, 'url' | 'append_data' | 'status' | 'error_message'> &
      Partial<Pick<UrlJob, 'total_bytes_fetched' | 'total_records_processed'>>,
  ): Promise<void> {
    const at = this.now() * 1000;
    const entry: UrlJob = {
      id: randomUUID(),
      org_id: org,
      table_name: table,
      created_at: at,
      updated_at: at,
      total_bytes_fetched: 0,
      total_records_processed: 0,
      retry_count: 0,
      last_byte_position: 0,
      supports_range: false,
      ...job,
    };
    const earlier = job.append_data ? await this.jobsOf(org, table) : [];
    await this.metaStore.kv.put(org, PREFIX + table, JSON.stringify([...earlier, entry]));
  }

  /** Every table's jobs, by table name. */
  async all(org: string): Promise<Record<string, UrlJob[]>> {
    const out: Record<string, UrlJob[]> = {};
    for (const key of await this.metaStore.kv.list(org, PREFIX)) {
      const table = key.slice(PREFIX.length);
      out[table] = await this.jobsOf(org, table);
    }
    return out;
  }

  /** Forgets a table's jobs (it was replaced by an upload or deleted). */
  async clear(org: string, table: string): Promise<void> {
    await this.metaStore.kv.delete(org, PREFIX + table);
  }

  private async jobsOf(org: string, table: string): Promise<UrlJob[]> {
    const raw = await this.metaStore.kv.get(org, PREFIX + table);
    if (raw === undefined) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as UrlJob[]) : [];
    } catch {
      return [];
    }
  }
}
