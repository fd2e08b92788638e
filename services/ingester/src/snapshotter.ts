import type { HotStreamStats, StreamKind } from '@o2/domain';
import { addHotStats, storedFileKey } from '@o2/domain';
import type { FileEntry, MetaStore, StoredFileEntry, StreamRef } from '@o2/metastore';
import type { Table } from 'apache-arrow';
import type { CycleChain } from './cycle-chain.js';
import type { Memtables } from './memtable/memtables.js';
import type { LocalFiles } from './persist/local-files.js';
import type { OwnUpload } from './persist/own-uploads.js';
import type { Persister } from './persist/persister.js';

type Range = { startTs: number; endTs: number };

/** Snapshots taken beside persist and upload before one is taken on the cycle chain. */
const OFF_CHAIN_ATTEMPTS = 3;

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

/** A snapshot for a leader that read file_list itself (`HotDataService`). */
export interface HotDataSnapshot extends Omit<StreamSnapshot, 'storedFiles'> {
  /**
   * Stored files overlapping the range, as of the same instant: with `ownUploads`, only the
   * ones this ingester uploaded lately (from memory); else file_list's rows, read after it.
   */
  storedFiles: FileEntry[];
  /**
   * Set when `storedFiles` holds only this ingester's own uploads: how far back (ms) it holds
   * them all (see `hot_data.proto`).
   */
  ownUploadsMs?: number;
  /** With `ownUploadsMs`: per file of `storedFiles`, the milliseconds since it was registered. */
  registeredMsAgo?: number[];
}

/** One snapshot as taken: the stored files from `OwnUploads` (`own`) or from file_list. */
interface Taken extends Omit<StreamSnapshot, 'storedFiles'> {
  own?: { files: FileEntry[]; coversMs: number; ages: number[] };
  stored?: StoredFileEntry[];
}

/** What the persist side holds beside the memtables (absent before the ingester starts). */
export interface HeldOnDisk {
  localFiles: LocalFiles;
  persister: Persister;
  /** The local files an upload registered as the stored file `key` (see `Uploader`). */
  uploadedAs?: (key: string) => readonly string[] | undefined;
  /** This process's uploads of a stream, if it can tell them all (see `OwnUploads`). */
  ownUploads?: (key: {
    org: string;
    type: string;
    stream: string;
  }) => { uploads: OwnUpload[]; coversMs: number; now: number } | undefined;
  /** Upload rounds begun so far (see `UploadLoop.cyclesStarted`). */
  uploadCycles?: () => number;
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
   * Each acknowledged row is in exactly one of memtables (persisting ones included), local
   * files or stored files. Memtables and local files are read in one synchronous step (a
   * commit lists its files in the same step as it retires the memtables); a stored file that an
   * upload registered from local files still listed replaces them. So the snapshot does not
   * wait for persist or upload — only a stream with pending tables (rows a failed persist kept
   * as Arrow files, read from disk) is taken on the cycle chain as before.
   *
   * The file_list read comes after that step, though. If a commit and an upload both land
   * while it runs, the stored file it returns may hold rows the step copied from a memtable:
   * counted twice. Then the snapshot is taken again, at most `OFF_CHAIN_ATTEMPTS` times beside
   * the loops, then on the chain, where neither loop runs while it is taken.
   */
  async snapshot(ref: StreamRef, range: Range): Promise<StreamSnapshot> {
    const { tables, localFiles, release, stored } = await this.taken(ref, range, false);
    return { tables, localFiles, release, storedFiles: stored ?? [] };
  }

  /**
   * `snapshot` for a leader that read file_list before asking: the stored files are only this
   * ingester's own recent uploads, from memory in the same synchronous step as the memtables
   * and local files (no file_list read per query, nothing moves in between), when
   * `OwnUploads` can tell them all; else file_list's, as `snapshot` reads them.
   */
  async hotData(ref: StreamRef, range: Range): Promise<HotDataSnapshot> {
    const { own, stored, ...held } = await this.taken(ref, range, true);
    if (own !== undefined) {
      const { files, coversMs, ages } = own;
      return { ...held, storedFiles: files, ownUploadsMs: coversMs, registeredMsAgo: ages };
    }
    return { ...held, storedFiles: stored ?? [] };
  }

  private taken(ref: StreamRef, range: Range, own: boolean): Promise<Taken> {
    const key = { org: ref.org, type: ref.type as StreamKind, stream: ref.name };
    const held = this.held();
    const pending = (held?.persister.pendingMetas() ?? []).some(
      (m) => m.org === key.org && m.type === key.type && m.stream === key.stream,
    );
    if (pending) return this.onChain(ref, range, own);
    return this.offChain(ref, range, own);
  }

  private onChain(ref: StreamRef, range: Range, own: boolean): Promise<Taken> {
    return this.chain.run(async () => (await this.take(ref, range, true, own)).snapshot);
  }

  private async offChain(ref: StreamRef, range: Range, own: boolean): Promise<Taken> {
    for (let attempt = 1; attempt <= OFF_CHAIN_ATTEMPTS; attempt++) {
      const { snapshot, moved } = await this.take(ref, range, false, own);
      if (!moved) return snapshot;
      snapshot.release();
    }
    return this.onChain(ref, range, own);
  }

  /** One snapshot, and whether persist or upload moved rows under it (see `snapshot`). */
  private async take(
    ref: StreamRef,
    range: Range,
    withPending: boolean,
    ownFirst: boolean,
  ): Promise<{ snapshot: Taken; moved: boolean }> {
    const key = { org: ref.org, type: ref.type as StreamKind, stream: ref.name };
    const held = this.held();
    const localFiles = held?.localFiles;
    const additions = localFiles?.additions ?? 0;
    const uploadCycles = held?.uploadCycles?.() ?? 0;
    const tables = this.memtables.snapshot(key);
    if (withPending) tables.push(...((await held?.persister.pendingTables(key)) ?? []));
    // Read in the same synchronous step as the local files below: nothing moves in between.
    const own = ownFirst ? held?.ownUploads?.(key) : undefined;
    let files = (localFiles?.list() ?? [])
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
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      files.forEach((path) => localFiles?.unpin(path));
    };
    if (own !== undefined) {
      // An upload whose object is stored replaces its local sources (see `OwnUploads`).
      const replaced = new Set(own.uploads.flatMap((u) => u.sources));
      files.filter((path) => replaced.has(path)).forEach((path) => localFiles?.unpin(path));
      files = files.filter((path) => !replaced.has(path));
      const { now } = own;
      const named = own.uploads.filter(
        ({ entry: f }) => f.maxTs >= range.startTs && f.minTs < range.endTs,
      );
      const ages = named.map((u) => Math.max(0, now - u.registeredAt));
      const taken = { files: named.map((u) => u.entry), coversMs: own.coversMs, ages };
      return { snapshot: { tables, localFiles: files, own: taken, release }, moved: false };
    }
    let storedFiles: StoredFileEntry[];
    try {
      storedFiles = await this.metaStore.fileList.query(ref, range);
    } catch (error) {
      release();
      throw error;
    }
    // A file committed after the copy is uploaded by a round begun after it: only when both
    // happened meanwhile can the read hold rows copied from memory.
    const moved =
      (localFiles?.additions ?? 0) !== additions && (held?.uploadCycles?.() ?? 0) !== uploadCycles;
    // Local files whose upload is registered already are read from the stored file.
    const uploaded = new Set(
      storedFiles.flatMap((f) => held?.uploadedAs?.(storedFileKey(f)) ?? []),
    );
    if (uploaded.size > 0) {
      files.filter((path) => uploaded.has(path)).forEach((path) => localFiles?.unpin(path));
      files = files.filter((path) => !uploaded.has(path));
    }
    return { snapshot: { tables, localFiles: files, stored: storedFiles, release }, moved };
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
