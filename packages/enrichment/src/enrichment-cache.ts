import type { EnrichmentStore, LoadedTable } from './enrichment-store.js';
import type { EnrichmentTables } from './vrl-functions.js';

export interface EnrichmentCacheOptions {
  /**
   * How long an org's tables are used without asking the metastore whether one changed (ms).
   * 0 asks on every call. Changes made through this process's `invalidate` show at once.
   */
  staleAfterMs?: number;
  now?: () => number;
}

interface OrgEntry {
  checkedAt: number;
  tables: Map<string, LoadedTable>;
  refreshing?: Promise<Map<string, LoadedTable>>;
}

/**
 * One org's enrichment tables in memory, for the VRL functions (which run synchronously, so
 * the rows must be at hand). A refresh compares each table's live file set with the one it was
 * loaded from and reloads only the tables that changed, so a node sees another node's upload
 * within `staleAfterMs` without any event; orgs never share an entry.
 */
export class EnrichmentCache {
  private readonly orgs = new Map<string, OrgEntry>();
  private readonly staleAfterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: EnrichmentStore,
    options: EnrichmentCacheOptions = {},
  ) {
    this.staleAfterMs = options.staleAfterMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** The org's tables by name, fresh within `staleAfterMs`. */
  async tables(org: string): Promise<EnrichmentTables> {
    const entry = this.orgs.get(org);
    if (entry !== undefined && this.now() - entry.checkedAt < this.staleAfterMs)
      return entry.tables;
    if (entry?.refreshing !== undefined) return entry.refreshing;
    const current = entry ?? { checkedAt: 0, tables: new Map<string, LoadedTable>() };
    this.orgs.set(org, current);
    const startedAt = this.now();
    const refreshing = this.refresh(org, current.tables).finally(() => {
      current.refreshing = undefined;
    });
    current.refreshing = refreshing;
    current.tables = await refreshing;
    current.checkedAt = startedAt;
    return current.tables;
  }

  /** Forgets what was checked, so the next `tables(org)` asks the metastore (after an upload). */
  invalidate(org: string): void {
    const entry = this.orgs.get(org);
    if (entry !== undefined) entry.checkedAt = -Infinity;
  }

  private async refresh(
    org: string,
    previous: ReadonlyMap<string, LoadedTable>,
  ): Promise<Map<string, LoadedTable>> {
    const next = new Map<string, LoadedTable>();
    for (const { name } of await this.store.list(org)) {
      const version = await this.store.version(org, name);
      if (version === undefined) continue;
      const known = previous.get(name);
      const table = known?.version === version ? known : await this.store.load(org, name);
      if (table !== undefined) next.set(name, table);
    }
    return next;
  }
}
