import type { FileEntry, StreamRef, StreamType, UserRole } from '@o2/domain';
import type {
  AnnotationRepository,
  DashboardRepository,
  FolderRepository,
} from './dashboard-store.js';
import type { IngestionTokenRepository, ShortUrlRepository } from './management-store.js';
import type { DataDeletionRepository } from './data-deletion-store.js';
import type {
  AlertHistoryRepository,
  AlertRepository,
  NamedDocumentRepository,
} from './alert-store.js';
import type { PipelineRepository } from './pipeline-store.js';
import type { FunctionRepository } from './function-store.js';

// The stream and file vocabulary is @o2/domain's; re-exported because every repository speaks it.
export type { FileEntry, StreamRef, StreamType };
export type * from './dashboard-store.js';
export type * from './management-store.js';
export type * from './data-deletion-store.js';
export type * from './alert-store.js';
export type * from './pipeline-store.js';
export type * from './function-store.js';

/**
 * The metadata store: every piece of O2TS state that is not a Parquet file. One interface,
 * two implementations (SqliteMetaStore for a single node, PostgresMetaStore for a cluster),
 * one contract test suite run against both. No SQL exists outside this package.
 *
 * Conventions for every repository:
 * - times are Unix milliseconds (`number`), except file timestamps which are µs like `_timestamp`;
 * - e-mails are stored lower-cased; callers pass them normalised;
 * - "not found" is `undefined` from getters, and AppError NOT_FOUND from mutators that need a row;
 * - a uniqueness clash is AppError ALREADY_EXISTS.
 */
export interface MetaStore {
  readonly orgs: OrgRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly streams: StreamRepository;
  readonly schemas: SchemaRepository;
  readonly fileList: FileListRepository;
  readonly streamDeletions: StreamDeletionRepository;
  readonly dataDeletions: DataDeletionRepository;
  readonly kv: KvRepository;
  /** Folders of dashboards, alerts and reports (`dashboard-store.ts`). */
  readonly folders: FolderRepository;
  readonly dashboards: DashboardRepository;
  readonly annotations: AnnotationRepository;
  /** Org ingestion tokens (`management-store.ts`). */
  readonly ingestionTokens: IngestionTokenRepository;
  readonly shortUrls: ShortUrlRepository;
  /** Alerts, their schedule state, destinations, templates and history (`alert-store.ts`). */
  readonly alerts: AlertRepository;
  readonly alertDestinations: NamedDocumentRepository;
  readonly alertTemplates: NamedDocumentRepository;
  readonly alertHistory: AlertHistoryRepository;
  /** Pipelines (`pipeline-store.ts`). */
  readonly pipelines: PipelineRepository;
  /** Saved VRL / JavaScript functions (`function-store.ts`). */
  readonly functions: FunctionRepository;
  /** Applies pending migrations; idempotent; refuses a database newer than this code. */
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
}

export interface MigrationReport {
  /** Version the database was at before. */
  from: number;
  /** Version it is at now (the code's latest). */
  to: number;
  applied: number[];
}

// ---------------------------------------------------------------- organizations

export type OrgType = 'default' | 'custom';

export interface Organization {
  identifier: string;
  name: string;
  type: OrgType;
  createdAt: number;
}

export interface OrgRepository {
  /** ALREADY_EXISTS when the identifier is taken. */
  create(org: Omit<Organization, 'createdAt'>): Promise<Organization>;
  /** Creates the org if missing and returns it either way (bootstrap, first ingest). */
  ensure(org: Omit<Organization, 'createdAt'>): Promise<Organization>;
  get(identifier: string): Promise<Organization | undefined>;
  list(): Promise<Organization[]>;
}

// ---------------------------------------------------------------- users and memberships

export interface User {
  email: string;
  firstName: string;
  lastName: string;
  /** Self-describing hash string (algorithm, parameters, salt, hash); never the password. */
  passwordHash: string;
  /** Root is above every organization; exactly one user has it. */
  isRoot: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Membership {
  org: string;
  email: string;
  role: UserRole;
  /** The ingestion passcode of this user in this org (O2's per-org token). */
  passcode: string;
  createdAt: number;
}

export interface UserRepository {
  /** ALREADY_EXISTS when the e-mail is taken. */
  create(user: Omit<User, 'createdAt' | 'updatedAt'>): Promise<User>;
  get(email: string): Promise<User | undefined>;
  getRoot(): Promise<User | undefined>;
  /** NOT_FOUND when the user does not exist. */
  update(
    email: string,
    patch: Partial<Pick<User, 'firstName' | 'lastName' | 'passwordHash'>>,
  ): Promise<User>;
  /** Removes the user, their memberships and sessions. NOT_FOUND when missing. */
  delete(email: string): Promise<void>;

  /**
   * Adds or replaces the membership (role and passcode) of a user in an org; a replaced
   * membership keeps its createdAt. NOT_FOUND when the user or the org does not exist.
   */
  putMembership(membership: Omit<Membership, 'createdAt'>): Promise<Membership>;
  getMembership(org: string, email: string): Promise<Membership | undefined>;
  /** NOT_FOUND when the user is not a member. */
  removeMembership(org: string, email: string): Promise<void>;
  listMembers(org: string): Promise<Array<{ user: User; membership: Membership }>>;
  listMemberships(email: string): Promise<Membership[]>;
  /** The membership whose passcode this is, for `email:passcode` Basic auth. */
  findByPasscode(email: string, passcode: string): Promise<Membership | undefined>;
}

// ---------------------------------------------------------------- sessions (login cookies)

export interface Session {
  /** Random, unguessable id carried in the `auth_tokens` cookie. */
  id: string;
  email: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionRepository {
  /** ALREADY_EXISTS for a reused id; NOT_FOUND when the user does not exist. */
  create(session: Session): Promise<void>;
  /** Undefined when missing or expired (at `now`). */
  get(id: string, now: number): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

// ---------------------------------------------------------------- streams, settings, schemas

export interface StreamRecord extends StreamRef {
  /** O2's stream settings object (partition_keys, full_text_search_keys, data_retention …). */
  settings: Record<string, unknown>;
  /**
   * O2's schema metadata beyond the fields, by key (e.g. `prom_metadata` of a metric stream,
   * as JSON text). Kept with the stream, not per schema version: it describes the stream.
   */
  metadata: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface StreamRepository {
  /** Creates the stream with the settings if missing; returns the stored row. */
  ensure(ref: StreamRef, settings?: Record<string, unknown>): Promise<StreamRecord>;
  get(ref: StreamRef): Promise<StreamRecord | undefined>;
  list(org: string, type?: StreamType): Promise<StreamRecord[]>;
  /** Replaces the settings object. NOT_FOUND when the stream does not exist. */
  putSettings(ref: StreamRef, settings: Record<string, unknown>): Promise<StreamRecord>;
  /**
   * Sets metadata entries (others are kept), creating the stream when missing; `only`
   * 'missing' leaves keys that already have a value alone.
   */
  putMetadata(
    ref: StreamRef,
    entries: Record<string, string>,
    only?: 'missing',
  ): Promise<StreamRecord>;
  /**
   * Deletes the stream row and its schema versions (files are the compactor's job); a missing
   * stream is not an error.
   */
  delete(ref: StreamRef): Promise<void>;
}

export interface SchemaField {
  name: string;
  /** Arrow type name as O2 shows it: Utf8, Int64, Float64, Boolean … */
  type: string;
}

export interface SchemaVersion extends StreamRef {
  version: number;
  /** `_timestamp` (µs) from which this version applies (O2's start_dt). */
  startTs: number;
  fields: SchemaField[];
  createdAt: number;
}

export interface SchemaRepository {
  latest(ref: StreamRef): Promise<SchemaVersion | undefined>;
  history(ref: StreamRef): Promise<SchemaVersion[]>;
  /**
   * Stores the next version. Optimistic: succeeds only when the latest stored version equals
   * `expectedVersion` (0 when none), otherwise CONFLICT, so two writers can't both evolve.
   */
  put(
    ref: StreamRef,
    expectedVersion: number,
    startTs: number,
    fields: SchemaField[],
  ): Promise<SchemaVersion>;
}

// ---------------------------------------------------------------- file_list

export interface StoredFileEntry extends FileEntry {
  id: number;
  updatedAt: number;
}

export interface FileListRepository {
  /**
   * Registers files. Idempotent on (org, type, stream, date, file): re-adding after a crash
   * between upload and registration neither fails nor duplicates, and the stored row is kept
   * as it was (also when it is marked deleted: re-adding does not resurrect it). The batch is
   * validated first (integers, minTs <= maxTs) and written in one transaction.
   */
  add(entries: readonly FileEntry[]): Promise<void>;
  /**
   * Live (not deleted) files of a stream whose [minTs, maxTs] overlaps [startTs, endTs), ordered
   * by minTs. An empty range (startTs >= endTs) matches nothing.
   */
  query(ref: StreamRef, range?: { startTs: number; endTs: number }): Promise<StoredFileEntry[]>;
  /** The live file; undefined when missing or marked deleted. */
  get(ref: StreamRef, date: string, file: string): Promise<StoredFileEntry | undefined>;
  /**
   * Marks files deleted and records them in file_list_deleted, in one transaction. A file with
   * no file_list row is still recorded, so an object uploaded but never registered is purged.
   */
  markDeleted(ref: StreamRef, files: ReadonlyArray<{ date: string; file: string }>): Promise<void>;
  /** Files marked deleted before `before` (ms), oldest first, for the compactor to purge. */
  listDeleted(
    before: number,
    limit: number,
  ): Promise<
    Array<{
      org: string;
      type: StreamType;
      stream: string;
      date: string;
      file: string;
      createdAt: number;
    }>
  >;
  /**
   * Marks deleted every live file of `ref` whose id is at most `upToId` (a stream deletion's
   * `lastFileId`), in one statement, without queueing them in file_list_deleted: the stream
   * deletion removes them itself (`listDeletedUpTo`, then `purgeDeleted`). Returns how many it
   * marked; a second call marks nothing.
   */
  markDeletedUpTo(ref: StreamRef, upToId: number): Promise<number>;
  /**
   * Files of `ref` with id at most `upToId` that are marked deleted, by id, for a stream deletion
   * to remove batch by batch (each batch leaves this list once `purgeDeleted` drops it).
   */
  listDeletedUpTo(ref: StreamRef, upToId: number, limit: number): Promise<StoredFileKey[]>;
  /**
   * A compaction's commit, in one transaction: `added` registered (and taken off the purge
   * queue, where the compactor put them before writing their objects) and `removed` marked
   * deleted and queued in file_list_deleted (purged after the delay, so a query that listed them
   * can still read them). CONFLICT, changing nothing, when any of `removed` is no longer live (a
   * retention or deletion got there first): a reader must never see both or neither.
   */
  replace(
    ref: StreamRef,
    added: readonly FileEntry[],
    removed: ReadonlyArray<{ date: string; file: string }>,
  ): Promise<void>;
  /** Drops deleted rows (after their objects are gone). */
  purgeDeleted(
    keys: ReadonlyArray<{
      org: string;
      type: StreamType;
      stream: string;
      date: string;
      file: string;
    }>,
  ): Promise<void>;
  /** Totals per stream for the streams API. */
  stats(ref: StreamRef): Promise<{
    fileNum: number;
    records: number;
    originalSize: number;
    compressedSize: number;
    indexSize: number;
    minTs: number;
    maxTs: number;
  }>;
}

/** Where a file_list row's objects live (`storedObjectKeys` in @o2/domain builds the keys). */
export interface StoredFileKey {
  org: string;
  type: StreamType;
  stream: string;
  date: string;
  file: string;
}

// ---------------------------------------------------------------- stream deletions

/**
 * A stream the router was asked to delete and the compactor has not finished deleting. The
 * stream is hidden while it is pending; data registered after the request is a new stream's.
 */
export interface StreamDeletion extends StreamRef {
  /** When it was (last) requested, ms. */
  requestedAt: number;
  /**
   * The highest file_list id when it was requested: the stream's files up to it are the data to
   * delete; a file registered later belongs to the stream written again after the request.
   */
  lastFileId: number;
}

export interface StreamDeletionRepository {
  /**
   * Records the request durably. A second request for a stream still pending renews it (later
   * requestedAt, higher lastFileId), so it also covers what was written in between.
   */
  request(ref: StreamRef): Promise<StreamDeletion>;
  get(ref: StreamRef): Promise<StreamDeletion | undefined>;
  /** The org's pending deletions (the streams API hides these streams), sorted by type, name. */
  list(org: string): Promise<StreamDeletion[]>;
  /** Every pending deletion, oldest request first, for the compactor. */
  pending(limit: number): Promise<StreamDeletion[]>;
  /**
   * Removes the request if it is still `deletion` (same requestedAt and lastFileId) and returns
   * true; false when it is gone or a newer request renewed it, which then stays pending.
   */
  complete(deletion: StreamDeletion): Promise<boolean>;
}

// ---------------------------------------------------------------- kv

export interface KvRepository {
  get(org: string, key: string): Promise<string | undefined>;
  put(org: string, key: string, value: string): Promise<void>;
  delete(org: string, key: string): Promise<boolean>;
  /** Keys of an org starting with `prefix` (literal, case-sensitive), sorted bytewise. */
  list(org: string, prefix?: string): Promise<string[]>;
  /**
   * A lease on one key, in one atomic statement (shared by every node on the store): the key is
   * set to `value` at `nowMs` when it is unset, already holds `value` (a renewal; its time never
   * moves back), or was last written more than `staleAfterMs` before `nowMs` (a takeover).
   * Returns the key's value and write time after the attempt: `value` itself when it won.
   */
  claim(
    org: string,
    key: string,
    value: string,
    nowMs: number,
    staleAfterMs: number,
  ): Promise<KvClaim>;
}

export interface KvClaim {
  value: string;
  /** When the holder last claimed the key (ms). */
  updatedAt: number;
}
