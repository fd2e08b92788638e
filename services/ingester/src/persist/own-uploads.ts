import type { FileEntry } from '@o2/metastore';

/** One upload of this ingester whose object is stored: its file_list entry and local sources. */
export interface OwnUpload {
  entry: FileEntry;
  /** The local files it holds the rows of (deleted once `doneAt` is set). */
  sources: readonly string[];
  /** When its registration returned. */
  registeredAt: number;
  /** When its local sources were deleted; undefined while they may still be listed. */
  doneAt?: number;
}

/** What a snapshot needs of a stream's uploads (see `OwnUploads.of`). */
interface StreamKey {
  org: string;
  type: string;
  stream: string;
}

/**
 * This ingester's own uploads, for hot-data snapshots that need no file_list read. A leader
 * reads file_list, then asks the ingesters; a file uploaded in between must come back from its
 * uploader — the only ingester that held its rows — instead of the rows (see `hot_data.proto`).
 * So an upload is recorded once its registration returned, and kept for `keepMs` after its
 * sources are deleted; a file named here is always committed, so a leader that finds it no
 * longer live knows it was replaced (compacted) or deleted.
 *
 * What this process cannot know, it says so: while a registration is under way (it may have
 * committed before the leader's read, the ack not yet here) or a crash left one unknown until
 * retried, `of` answers undefined for that stream and the snapshot reads file_list as before.
 * Uploads of an earlier run are not here either: `of` says how far back it knows them all
 * (`coversMs`: its uptime, at most `keepMs`), and a leader whose read is older takes its
 * snapshot again.
 */
export class OwnUploads {
  private readonly uploads = new Map<string, OwnUpload>();
  private readonly unsure = new Map<string, StreamKey>();
  private readonly startedAt: number;

  constructor(
    private readonly keepMs: number,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  /** An upload a crash left: whether it was registered is not known yet. */
  recovered(key: string, entry: StreamKey): void {
    this.unsure.set(key, { org: entry.org, type: entry.type, stream: entry.stream });
  }

  /** Its registration is under way: committed or not, the sources are not known to be read. */
  registering(key: string, entry: StreamKey): void {
    this.unsure.set(key, { org: entry.org, type: entry.type, stream: entry.stream });
  }

  /** The upload is registered: its file replaces its sources. */
  registered(key: string, entry: FileEntry, sources: readonly string[]): void {
    this.unsure.delete(key);
    this.uploads.set(key, { entry, sources, registeredAt: this.now() });
  }

  /** The upload is known not to be registered: its sources hold its rows. */
  notRegistered(key: string): void {
    this.unsure.delete(key);
  }

  /** Its local sources are deleted; kept `keepMs` for leaders that listed before it landed. */
  done(key: string): void {
    const now = this.now();
    const upload = this.uploads.get(key);
    if (upload !== undefined) upload.doneAt = now;
    for (const [k, u] of this.uploads)
      if (u.doneAt !== undefined && now - u.doneAt > this.keepMs) this.uploads.delete(k);
  }

  /** Quarantined: its rows are no longer served, from the file or from the sources. */
  forget(key: string): void {
    this.uploads.delete(key);
    this.unsure.delete(key);
  }

  /**
   * The stream's uploads a snapshot must count as stored files (and not read from local
   * sources), complete for the last `coversMs`; undefined when this process cannot tell.
   */
  of(key: StreamKey): { uploads: OwnUpload[]; coversMs: number; now: number } | undefined {
    const same = (k: StreamKey) =>
      k.org === key.org && k.type === key.type && k.stream === key.stream;
    for (const k of this.unsure.values()) if (same(k)) return undefined;
    const now = this.now();
    const cutoff = now - this.keepMs;
    const uploads = [...this.uploads.values()].filter(
      (u) => same(u.entry) && (u.doneAt === undefined || u.doneAt >= cutoff),
    );
    return { uploads, coversMs: Math.min(now - this.startedAt, this.keepMs), now };
  }
}
