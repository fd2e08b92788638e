import { createHash } from 'node:crypto';
import type { IngestRequest, IngestResult } from '@o2/domain';
import { idempotencyKeyProblem } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import { IdempotencyJournal } from './idempotency-journal.js';
import type { IdempotencyRecord } from './idempotency-journal.js';

/** What the WAL header carries of a keyed request (same fields as a journal record). */
export type WalIdempotency = Omit<IdempotencyRecord, 'o'>;

/** A keyed request being written: put `key`/`fingerprint` in its WAL header, then `record`. */
export interface IdempotencyClaim {
  org: string;
  key: string;
  fingerprint: string;
}

export interface IdempotencyOptions {
  /** ZO_INGEST_IDEMPOTENCY_WINDOW in seconds; 0 turns keys off. */
  windowSeconds: number;
  /** Memory for remembered answers (ZO_INGEST_IDEMPOTENCY_MAX_MB), in bytes. */
  maxBytes: number;
  fsync: boolean;
  now: () => number;
  logger: Logger;
}

interface Entry {
  record: IdempotencyRecord;
  bytes: number;
}

/** The journal is rewritten once it is this big and twice the live records. */
const COMPACT_MIN_BYTES = 4 * 1024 * 1024;

function scoped(org: string, key: string): string {
  return `${org}\u0000${key}`;
}

/** Binds a key to what was sent: same key with another stream, format or body is refused. */
export function requestFingerprint(request: IngestRequest): string {
  return createHash('sha256')
    .update(`${request.streamType}\n${request.format}\n${request.stream ?? ''}\n`)
    .update(request.body)
    .digest('base64url');
}

/**
 * Ingest `Idempotency-Key`s: a request whose (org, key) was answered within the window gets
 * that first answer again and stores nothing; one still in flight is waited for. Only
 * attempts that stored something are remembered — a failure, or an answer whose every record
 * was rejected, stored nothing, so running the retry again is harmless. Keys are scoped per
 * org; the same key with a different request is 422. Memory is capped by `maxBytes` (the
 * serialised answers): past it the oldest keys are forgotten before their window ends, and a
 * retry of such a key stores again. Durable through the WAL header (until the segment is
 * dropped) and the journal (for the window), so a kill -9 at any point keeps the promise.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, { fingerprint: string; done: Promise<unknown> }>();
  private journal: IdempotencyJournal | undefined;
  private liveBytes = 0;
  private compacting = false;
  private readonly windowMs: number;

  constructor(private readonly options: IdempotencyOptions) {
    this.windowMs = options.windowSeconds * 1000;
  }

  get enabled(): boolean {
    return this.windowMs > 0;
  }

  /** Loads the journal's live records and rewrites it without the expired ones. */
  async open(dir: string): Promise<void> {
    if (!this.enabled) return;
    const { journal, records } = await IdempotencyJournal.open(dir, this.options.fsync);
    this.journal = journal;
    for (const record of records) this.remember(record);
    await journal.rewrite(() => this.liveRecords());
  }

  async close(): Promise<void> {
    await this.journal?.close();
    this.journal = undefined;
    this.entries.clear();
    this.liveBytes = 0;
  }

  /** A key read back from a replayed WAL entry: remembered, and journaled if it was not. */
  async restore(org: string, idem: WalIdempotency): Promise<void> {
    if (!this.enabled) return;
    const record = { o: org, ...idem };
    if (this.remember(record)) await this.journal?.append(record);
  }

  /**
   * Runs `attempt` once per (org, key) within the window. Without a key (or with keys off) it
   * simply runs. The attempt gets the claim to write in its WAL entry and must call `record`
   * right after its WAL append, in the same write section.
   */
  async once(
    request: IngestRequest,
    attempt: (claim: IdempotencyClaim | undefined) => Promise<IngestResult>,
  ): Promise<IngestResult> {
    const key = request.idempotencyKey;
    if (key === undefined || !this.enabled) return attempt(undefined);
    const problem = idempotencyKeyProblem(key);
    if (problem !== undefined) throw AppError.invalidArgument(problem);
    const id = scoped(request.org, key);
    const fingerprint = requestFingerprint(request);
    for (;;) {
      const known = this.lookup(id);
      if (known !== undefined) {
        this.checkSame(key, known.f, fingerprint);
        return known.r;
      }
      const running = this.inFlight.get(id);
      if (running === undefined) break;
      this.checkSame(key, running.fingerprint, fingerprint);
      // Wait for the first attempt; if it failed, this one runs (nothing was stored).
      await running.done.catch(() => undefined);
    }
    const done = attempt({ org: request.org, key, fingerprint });
    this.inFlight.set(id, { fingerprint, done });
    try {
      return await done;
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** Remembers a stored attempt's answer; call after its WAL append, before answering. */
  async record(claim: IdempotencyClaim, result: IngestResult, at: number): Promise<void> {
    const record: IdempotencyRecord = {
      o: claim.org,
      k: claim.key,
      f: claim.fingerprint,
      t: at,
      r: result,
    };
    if (!this.remember(record) || this.journal === undefined) return;
    try {
      await this.journal.append(record);
    } catch (err) {
      // The rows are in the WAL and will be stored, so the answer stands; the key is kept by
      // memory and the WAL header, and lost only if this process also dies after the segment
      // is dropped.
      this.options.logger.error({ err, org: claim.org }, 'idempotency journal append failed');
      return;
    }
    this.compactIfLarge();
  }

  /** Keys remembered now (for tests and stats). */
  get size(): number {
    return this.entries.size;
  }

  private lookup(id: string): IdempotencyRecord | undefined {
    this.expire();
    const entry = this.entries.get(id);
    // `expire` stops at the first young entry; keys restored from the WAL may sit behind it.
    if (entry === undefined || this.expired(entry.record)) return undefined;
    return entry.record;
  }

  private expired(record: IdempotencyRecord): boolean {
    return record.t + this.windowMs <= this.options.now();
  }

  private checkSame(key: string, remembered: string, fingerprint: string): void {
    if (remembered === fingerprint) return;
    throw new AppError(
      'UNPROCESSABLE',
      `Idempotency-Key "${key}" was already used for a different request (another body, stream or endpoint) within the last ${this.options.windowSeconds} s; use a new key for a new request`,
    );
  }

  /** Adds a record unless expired; evicts the oldest past the memory cap. */
  private remember(record: IdempotencyRecord): boolean {
    if (this.expired(record)) return false;
    const id = scoped(record.o, record.k);
    const known = this.entries.get(id);
    if (known !== undefined && !this.expired(known.record)) return false;
    if (known !== undefined) {
      this.entries.delete(id);
      this.liveBytes -= known.bytes;
    }
    const bytes = JSON.stringify(record).length + id.length;
    this.entries.set(id, { record, bytes });
    this.liveBytes += bytes;
    while (this.liveBytes > this.options.maxBytes && this.entries.size > 1) this.evictOldest();
    return true;
  }

  private expire(): void {
    const cutoff = this.options.now() - this.windowMs;
    for (const entry of this.entries.values()) {
      // Insertion order is answer-time order (give or take concurrent requests' milliseconds).
      if (entry.record.t > cutoff) break;
      this.evictOldest();
    }
  }

  private evictOldest(): void {
    const first = this.entries.entries().next();
    if (first.done === true) return;
    this.entries.delete(first.value[0]);
    this.liveBytes -= first.value[1].bytes;
  }

  private liveRecords(): IdempotencyRecord[] {
    this.expire();
    return [...this.entries.values()].map((e) => e.record).filter((r) => !this.expired(r));
  }

  private compactIfLarge(): void {
    const journal = this.journal;
    if (journal === undefined || this.compacting) return;
    if (journal.size < COMPACT_MIN_BYTES || journal.size < 2 * this.liveBytes) return;
    this.compacting = true;
    journal
      .rewrite(() => this.liveRecords())
      .catch((err: unknown) =>
        this.options.logger.error({ err }, 'idempotency journal compaction failed'),
      )
      .finally(() => (this.compacting = false));
  }
}
