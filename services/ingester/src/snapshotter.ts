import type { HotStreamStats, StreamKind } from '@o2/domain';
import { addHotStats } from '@o2/domain';
import type { MetaStore, StoredFileEntry, StreamRef } from '@o2/metastore';
import type { Table } from 'apache-arrow';
import type { CycleChain } from './cycle-chain.js';
import type { Memtables } from './memtable/memtables.js';
import type { LocalFiles } from './persist/local-files.js';
import type { Persister } from './persist/persister.js';

/** One stream's data held by this ingester and the stored files, as of one instant. */
export interface StreamSnapshot {
  /** Rows in memtables (Arrow tables, columns from the stream schema). */
  tables: Table[];
  /** Committed local Parquet files not yet uploaded (pinned until `release`). */
  localFiles: string[];
  /** file_list rows overlapping the range, read in the same instant. */
  storedFiles: StoredFileEntry[];
  /** Unpins the local files; call once the query has read them. */
  release(): void;
}

/** What the persist side holds beside the memtables (absent before the ingester starts). */
export interface HeldOnDisk {
  localFiles: LocalFiles;
  persister: Persister;
}

/**
 * The read side of the ingester: consistent per-stream views for hot queries, and the hot
 * stream stats, over memtables, pending tables and local files.
 */
export class Snapshotter {
  constructor(
    private readonly memtables: Memtables,
    private readonly metaStore: MetaStore,
    private readonly chain: CycleChain,
    private readonly held: () => HeldOnDisk | undefined,
  ) {}

  /**
   * Taken on the cycle chain (no persist or upload runs meanwhile), so each acknowledged row is
   * in exactly one of memtables, local files or stored files.
   */
  snapshot(ref: StreamRef, range: { startTs: number; endTs: number }): Promise<StreamSnapshot> {
    return this.chain.run(async () => {
      const key = { org: ref.org, type: ref.type as StreamKind, stream: ref.name };
      const held = this.held();
      const tables = [
        ...this.memtables.snapshot(key),
        ...((await held?.persister.pendingTables(key)) ?? []),
      ];
      const localFiles = held?.localFiles;
      const files = (localFiles?.list() ?? [])
        .filter(
          (f) =>
            f.meta.org === ref.org &&
            f.meta.type === ref.type &&
            f.meta.stream === ref.name &&
            f.meta.maxTs >= range.startTs &&
            f.meta.minTs < range.endTs,
        )
        .map((f) => f.path);
      files.forEach((path) => localFiles?.pin(path));
      const storedFiles = await this.metaStore.fileList.query(ref, range);
      let released = false;
      return {
        tables,
        localFiles: files,
        storedFiles,
        release: () => {
          if (released) return;
          released = true;
          files.forEach((path) => localFiles?.unpin(path));
        },
      };
    });
  }

  /** Rows, bytes and time range per stream of `org` not uploaded yet. */
  hotStats(org: string): HotStreamStats[] {
    const byStream = new Map<string, HotStreamStats>();
    for (const s of this.memtables.stats(org)) addHotStats(byStream, s, s);
    const held = this.held();
    const pending = (held?.persister.pendingMetas() ?? []).map((p) => ({
      ...p,
      records: p.rows,
      compressedSize: p.bytes,
    }));
    const local = held?.localFiles.list().map((f) => f.meta) ?? [];
    for (const m of [...local, ...pending]) {
      if (m.org !== org) continue;
      addHotStats(byStream, m, { ...m, bytes: m.compressedSize });
    }
    return [...byStream.values()];
  }

  /** Whether memtables, local files or pending tables still hold rows of the stream. */
  holds(org: string, type: StreamKind, stream: string): boolean {
    const held = this.held();
    const all = [
      ...this.memtables.stats(org),
      ...(held?.localFiles.list().map((f) => f.meta) ?? []),
      ...(held?.persister.pendingMetas() ?? []),
    ];
    return all.some((m) => m.org === org && m.type === type && m.stream === stream);
  }
}
