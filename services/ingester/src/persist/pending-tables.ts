import { mkdir, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import type { StreamKind } from '@o2/domain';
import type { ColumnSpec } from '@o2/parquet';
import { writeFileAtomic, writeFileSynced } from './fs-atomic.js';
import { META_SUFFIX } from './local-files.js';
import type { RetryState } from './retry-backoff.js';

/** Directory inside a commit holding the tables of that commit that did not become Parquet. */
export const PENDING_DIR = '_pending';
const ARROW_SUFFIX = '.arrow';
const PENDING_SUFFIX = '.pending.json';

/** The sidecar of a pending table: where it belongs, what it holds, how it has failed. */
export interface PendingMeta extends RetryState {
  org: string;
  type: StreamKind;
  stream: string;
  /** Start of the hour partition, µs. */
  hour: number;
  partitions: Array<[string, string]>;
  /** File id the Parquet file gets (fixed, so a retry interrupted by a crash is recognised). */
  fileId: string;
  /** Path of that Parquet file relative to the commit dir, once it could be computed. */
  relative?: string;
  rows: number;
  bytes: number;
  minTs: number;
  maxTs: number;
  schema: ColumnSpec[];
  /** Set before the move to quarantine starts, so a crash in the middle is finished at start. */
  quarantineId?: string;
}

export interface PendingTable {
  /** The committed directory it belongs to (`files/{segment}-…`). */
  commitDir: string;
  id: string;
  arrowPath: string;
  metaPath: string;
  meta: PendingMeta;
}

function pendingPaths(commitDir: string, id: string): { arrowPath: string; metaPath: string } {
  const dir = join(commitDir, PENDING_DIR);
  return {
    arrowPath: join(dir, `${id}${ARROW_SUFFIX}`),
    metaPath: join(dir, `${id}${PENDING_SUFFIX}`),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Rows that could not be written as Parquet, kept as Arrow IPC files inside the commit they
 * belong to. Being in the commit makes them as durable as its Parquet files, so the WAL the
 * commit covers can be dropped and the other tables are never held back; each is then retried
 * into a Parquet file of its own commit until it succeeds or is quarantined.
 */
export class PendingTables {
  private readonly tables = new Map<string, PendingTable>();

  /** Writes a failed table into a commit being staged (fsynced by the commit). */
  async stage(stagingDir: string, id: string, arrow: Table, meta: PendingMeta): Promise<void> {
    const { arrowPath, metaPath } = pendingPaths(stagingDir, id);
    await mkdir(join(stagingDir, PENDING_DIR), { recursive: true });
    await writeFileSynced(arrowPath, tableToIPC(arrow, 'file'));
    await writeFileSynced(metaPath, JSON.stringify(meta));
  }

  /** Registers the tables of a commit that was just renamed into place. */
  track(commitDir: string, staged: ReadonlyArray<{ id: string; meta: PendingMeta }>): void {
    for (const { id, meta } of staged) {
      this.tables.set(`${commitDir}/${id}`, {
        commitDir,
        id,
        ...pendingPaths(commitDir, id),
        meta,
      });
    }
  }

  /**
   * Reads every commit's pending tables at start. One whose Parquet file was committed right
   * before a crash (its `.meta.json` exists) is already stored and removed here.
   */
  async scan(filesDir: string): Promise<PendingTable[]> {
    let commits: string[] = [];
    try {
      commits = await readdir(filesDir);
    } catch {
      return [];
    }
    for (const commit of commits) {
      const commitDir = join(filesDir, commit);
      let names: string[];
      try {
        names = await readdir(join(commitDir, PENDING_DIR));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!name.endsWith(PENDING_SUFFIX)) continue;
        const id = name.slice(0, -PENDING_SUFFIX.length);
        const paths = pendingPaths(commitDir, id);
        const meta = JSON.parse(await readFile(paths.metaPath, 'utf8')) as PendingMeta;
        const table = { commitDir, id, ...paths, meta };
        if (
          meta.relative !== undefined &&
          (await exists(join(commitDir, `${meta.relative}${META_SUFFIX}`)))
        ) {
          await this.remove(table);
          continue;
        }
        this.tables.set(`${commitDir}/${id}`, table);
      }
    }
    return this.list();
  }

  list(): PendingTable[] {
    return [...this.tables.values()];
  }

  async load(table: PendingTable): Promise<Table> {
    return tableFromIPC(await readFile(table.arrowPath));
  }

  /** Rewrites the sidecar (attempts, next try, quarantine id). */
  async update(table: PendingTable, meta: PendingMeta): Promise<void> {
    await writeFileAtomic(table.metaPath, JSON.stringify(meta));
    table.meta = meta;
  }

  /** Forgets a table whose rows are now in Parquet or in quarantine. */
  async remove(table: PendingTable): Promise<void> {
    // Forgotten first: its rows are elsewhere now, so it must never be retried again even if
    // a file cannot be removed (the scan at start removes what is left).
    this.tables.delete(`${table.commitDir}/${table.id}`);
    await rm(table.arrowPath, { force: true });
    await rm(table.metaPath, { force: true });
    await rmdir(join(table.commitDir, PENDING_DIR)).catch(() => undefined);
    // The commit dir itself goes once empty; its name only matters while files are in it.
    await rmdir(table.commitDir).catch(() => undefined);
  }
}
