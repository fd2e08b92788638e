/**
 * The dashboards part of the MetaStore contract (O2-CONTRACT §10, §11): folders, dashboards and
 * their timed annotations. Kept beside `meta-store.ts` so that file stays one idea per section.
 */

/** The kinds of folder O2 keeps (each kind has its own `default` folder). */
export const FOLDER_TYPES = ['dashboards', 'alerts', 'reports'] as const;
export type FolderType = (typeof FOLDER_TYPES)[number];

/** The folder every org has of every type; it cannot be renamed or deleted. */
export const DEFAULT_FOLDER_ID = 'default';

export interface Folder {
  org: string;
  type: FolderType;
  folderId: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface FolderRepository {
  /** Creates the org's `default` folder of `type` when missing; returns it either way. */
  ensureDefault(org: string, type: FolderType): Promise<Folder>;
  /** ALREADY_EXISTS when the id, or the name within (org, type), is taken. */
  create(folder: Omit<Folder, 'createdAt' | 'updatedAt'>): Promise<Folder>;
  get(org: string, type: FolderType, folderId: string): Promise<Folder | undefined>;
  getByName(org: string, type: FolderType, name: string): Promise<Folder | undefined>;
  /** The org's folders of `type`, `default` first, then by name. */
  list(org: string, type: FolderType): Promise<Folder[]>;
  /** NOT_FOUND when missing; ALREADY_EXISTS when another folder has the name. */
  update(
    org: string,
    type: FolderType,
    folderId: string,
    patch: { name: string; description: string },
  ): Promise<Folder>;
  /**
   * NOT_FOUND when missing; FAILED_PRECONDITION while a dashboard is still in it (checked and
   * enforced by a foreign key, so a dashboard saved into it meanwhile cannot be orphaned).
   */
  delete(org: string, type: FolderType, folderId: string): Promise<void>;
}

export interface StoredDashboard {
  org: string;
  dashboardId: string;
  folderId: string;
  title: string;
  description: string;
  owner: string;
  role: string;
  /** The document's own `created` (RFC 3339), as O2 lists it. */
  created: string;
  /** Schema version of `data` (always 8 today). */
  version: number;
  /** Optimistic-concurrency token: changes whenever `data` does. */
  hash: string;
  /** The v8 document, as JSON text exactly as it is served (never re-serialised here). */
  data: string;
  createdAt: number;
  /** µs, O2's `updatedAt`. */
  updatedAt: number;
}

/** What a create or update writes (the row's identity comes from the call). */
export type DashboardContent = Pick<
  StoredDashboard,
  'title' | 'description' | 'owner' | 'role' | 'created' | 'version' | 'hash' | 'data' | 'updatedAt'
>;

export interface DashboardListFilter {
  folderId?: string;
  /** Case-insensitive substring of the title. */
  title?: string;
  limit?: number;
}

export interface DashboardRepository {
  /** NOT_FOUND when the folder does not exist; ALREADY_EXISTS when the id is taken. */
  create(
    dashboard: Pick<StoredDashboard, 'org' | 'dashboardId' | 'folderId'> & DashboardContent,
  ): Promise<StoredDashboard>;
  get(org: string, dashboardId: string): Promise<StoredDashboard | undefined>;
  /** The org's dashboards, newest update first. */
  list(org: string, filter?: DashboardListFilter): Promise<StoredDashboard[]>;
  count(org: string): Promise<number>;
  /**
   * Replaces the document only if the stored hash is still `expectedHash` (compare-and-set in one
   * statement): CONFLICT when another write got there first, NOT_FOUND when missing.
   */
  update(
    org: string,
    dashboardId: string,
    expectedHash: string,
    content: DashboardContent,
  ): Promise<StoredDashboard>;
  /**
   * Moves the dashboards into `toFolderId`, all or none (one transaction): NOT_FOUND naming the
   * first id that is missing (or not in `fromFolderId` when given), or when the folder is.
   */
  move(
    org: string,
    dashboardIds: readonly string[],
    toFolderId: string,
    fromFolderId?: string,
  ): Promise<void>;
  /** Deletes the dashboards and their annotations; returns the ids that existed. */
  delete(org: string, dashboardIds: readonly string[]): Promise<string[]>;
}

export interface TimedAnnotation {
  org: string;
  dashboardId: string;
  annotationId: string;
  /** µs */
  startTime: number;
  /** µs; null for a point in time. */
  endTime: number | null;
  title: string;
  text: string | null;
  tags: string[];
  /** Panel ids the annotation shows on. */
  panels: string[];
  createdAt: number;
}

export type TimedAnnotationInput = Omit<TimedAnnotation, 'createdAt'>;

export interface AnnotationRepository {
  /** All or none; NOT_FOUND when the dashboard does not exist. */
  create(annotations: readonly TimedAnnotationInput[]): Promise<TimedAnnotation[]>;
  /**
   * The dashboard's annotations overlapping [startTime, endTime] (µs, closed), on any of
   * `panels` when given, by start time.
   */
  list(
    org: string,
    dashboardId: string,
    range: { startTime: number; endTime: number; panels?: readonly string[] },
  ): Promise<TimedAnnotation[]>;
  /** NOT_FOUND when missing. */
  update(
    org: string,
    dashboardId: string,
    annotationId: string,
    patch: Pick<TimedAnnotation, 'startTime' | 'endTime' | 'title' | 'text' | 'tags' | 'panels'>,
  ): Promise<TimedAnnotation>;
  /** Returns how many existed. */
  delete(org: string, dashboardId: string, annotationIds: readonly string[]): Promise<number>;
  /** Takes `panels` off the annotation; NOT_FOUND when missing. */
  removePanels(
    org: string,
    dashboardId: string,
    annotationId: string,
    panels: readonly string[],
  ): Promise<TimedAnnotation>;
}
