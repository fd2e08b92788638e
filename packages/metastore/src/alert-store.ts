/**
 * The alerts part of the MetaStore contract (O2-CONTRACT §10): alerts (the O2 document as JSON
 * text beside the columns lists filter on), each alert's schedule state, notification
 * destinations and templates, and the alert history.
 *
 * Exactly-once evaluation rests on `claim`: a conditional UPDATE of the alert's `next_run_at`
 * from the value the scheduler read to the next one. Of any number of alertmanagers (or a leader
 * and its successor after a crash) reading the same due run, exactly one changes the row; the
 * others see 0 rows changed and skip it. The schedule lives here, so a restarted or new leader
 * carries on from it.
 */

export interface StoredAlert {
  org: string;
  alertId: string;
  folderId: string;
  name: string;
  enabled: boolean;
  isRealTime: boolean;
  streamType: string;
  streamName: string;
  owner: string;
  /** The alert definition as JSON text. */
  data: string;
  lastEditedBy: string;
  createdAt: number;
  updatedAt: number;
}

export type AlertContent = Pick<
  StoredAlert,
  | 'name'
  | 'enabled'
  | 'isRealTime'
  | 'streamType'
  | 'streamName'
  | 'owner'
  | 'data'
  | 'lastEditedBy'
>;

export interface AlertListFilter {
  folderId?: string;
  enabled?: boolean;
  isRealTime?: boolean;
  streamType?: string;
  streamName?: string;
  /** Case-insensitive substring of the name. */
  nameSubstring?: string;
  owner?: string;
}

/** Where an alert's schedule stands (ms times; 0 when never). */
export interface AlertState {
  org: string;
  alertId: string;
  /** When the next evaluation is due; 0 for an alert not on the schedule (disabled, real-time). */
  nextRunAt: number;
  lastTriggeredAt: number;
  lastSatisfiedAt: number;
  silencedUntil: number;
  /** Dedup fingerprints → ms last sent, as JSON text. */
  fingerprints: string;
  /** Which node claimed the latest run, and when. */
  claimedBy: string;
  claimedAt: number;
}

export type AlertOutcome = Partial<
  Pick<AlertState, 'lastTriggeredAt' | 'lastSatisfiedAt' | 'silencedUntil' | 'fingerprints'>
>;

export interface AlertRepository {
  /** NOT_FOUND when the folder does not exist; ALREADY_EXISTS when the name is taken in the folder. */
  create(
    alert: Pick<StoredAlert, 'org' | 'alertId' | 'folderId'> & AlertContent,
    nextRunAt: number,
  ): Promise<StoredAlert>;
  get(org: string, alertId: string): Promise<StoredAlert | undefined>;
  getByName(org: string, folderId: string, name: string): Promise<StoredAlert | undefined>;
  /** By name. */
  list(org: string, filter?: AlertListFilter): Promise<StoredAlert[]>;
  /** Every org's enabled real-time alerts on one stream (the ingester's check). */
  listRealTime(org: string, streamType: string, streamName: string): Promise<StoredAlert[]>;
  /** NOT_FOUND when missing; ALREADY_EXISTS on a name clash. Resets the schedule to `nextRunAt`. */
  update(
    org: string,
    alertId: string,
    content: AlertContent,
    nextRunAt: number,
  ): Promise<StoredAlert>;
  /** Returns the ids that existed; the schedule moves to `nextRunAt` (0 when disabling). */
  setEnabled(
    org: string,
    alertIds: readonly string[],
    enabled: boolean,
    nextRunAt: number,
  ): Promise<string[]>;
  /** All or none: NOT_FOUND naming the first missing alert, or when the folder is missing. */
  move(org: string, alertIds: readonly string[], toFolderId: string): Promise<void>;
  /** Deletes alerts with their state (history stays); returns the ids that existed. */
  delete(org: string, alertIds: readonly string[]): Promise<string[]>;

  state(org: string, alertId: string): Promise<AlertState | undefined>;
  states(org: string): Promise<AlertState[]>;
  /** Enabled scheduled alerts whose run is due at `nowMs`, earliest first. */
  due(nowMs: number, limit: number): Promise<AlertState[]>;
  /**
   * Takes the run due at `expectedNextRunAt` by moving the schedule to `nextRunAt`; true for
   * exactly one caller per run (false when another took it, or the alert changed meanwhile).
   */
  claim(
    org: string,
    alertId: string,
    expectedNextRunAt: number,
    nextRunAt: number,
    claimedBy: string,
  ): Promise<boolean>;
  /** Moves the schedule (trigger now, re-enable); false when the alert is missing. */
  reschedule(org: string, alertId: string, nextRunAt: number): Promise<boolean>;
  recordOutcome(org: string, alertId: string, outcome: AlertOutcome): Promise<void>;
}

/** Destinations and templates: named JSON documents per org. */
export interface NamedDocument {
  org: string;
  name: string;
  /** Destinations: `alert` or `pipeline`; templates: their type (`http`, `email`). */
  kind: string;
  data: string;
  createdAt: number;
  updatedAt: number;
}

export interface NamedDocumentRepository {
  /** ALREADY_EXISTS when the name is taken. */
  create(doc: Pick<NamedDocument, 'org' | 'name' | 'kind' | 'data'>): Promise<NamedDocument>;
  get(org: string, name: string): Promise<NamedDocument | undefined>;
  /** By name; only `kind` when given. */
  list(org: string, kind?: string): Promise<NamedDocument[]>;
  /** NOT_FOUND when missing. */
  update(org: string, name: string, kind: string, data: string): Promise<NamedDocument>;
  /** Returns the names that existed. */
  delete(org: string, names: readonly string[]): Promise<string[]>;
}

export interface AlertHistoryEntry {
  org: string;
  entryId: string;
  alertId: string;
  alertName: string;
  /** µs, when the evaluation ran. */
  timestamp: number;
  /** `firing`, `ok`, `silenced`, `deduplicated`, `error`. */
  status: string;
  isRealTime: boolean;
  /** µs, the evaluated period. */
  startTime: number;
  endTime: number;
  rowsCount: number;
  evaluationMs: number;
  error: string;
  node: string;
}

export interface AlertHistoryQuery {
  alertId?: string;
  /** µs, closed range on `timestamp`. */
  startTime?: number;
  endTime?: number;
  sortBy: 'timestamp' | 'alert_name' | 'status';
  sortOrder: 'asc' | 'desc';
  from: number;
  size: number;
}

export interface AlertHistoryRepository {
  add(entry: AlertHistoryEntry): Promise<void>;
  query(org: string, q: AlertHistoryQuery): Promise<{ total: number; hits: AlertHistoryEntry[] }>;
}
