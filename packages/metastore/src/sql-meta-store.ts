import type {
  AnnotationRepository,
  DashboardRepository,
  FolderRepository,
} from './dashboard-store.js';
import type {
  AlertHistoryRepository,
  AlertRepository,
  NamedDocumentRepository,
} from './alert-store.js';
import type { FunctionRepository } from './function-store.js';
import { SqlFunctionRepository } from './repositories/sql-function-repository.js';
import { SqlAlertHistoryRepository } from './repositories/sql-alert-history-repository.js';
import { SqlAlertRepository } from './repositories/sql-alert-repository.js';
import { SqlPipelineRepository } from './repositories/sql-pipeline-repository.js';
import type { PipelineRepository } from './pipeline-store.js';
import { SqlNamedDocumentRepository } from './repositories/sql-named-document-repository.js';
import type {
  FileListRepository,
  KvRepository,
  MetaStore,
  MigrationReport,
  OrgRepository,
  SchemaRepository,
  SessionRepository,
  StreamDeletionRepository,
  StreamRepository,
  UserRepository,
} from './meta-store.js';
import type { IngestionTokenRepository, ShortUrlRepository } from './management-store.js';
import type { DataDeletionRepository } from './data-deletion-store.js';
import { runMigrations } from './migrations/migration.js';
import type { MigrationSet } from './migrations/migration.js';
import { SqlAnnotationRepository } from './repositories/sql-annotation-repository.js';
import { SqlDashboardRepository } from './repositories/sql-dashboard-repository.js';
import { SqlFolderRepository } from './repositories/sql-folder-repository.js';
import { SqlFileListRepository } from './repositories/sql-file-list-repository.js';
import { SqlIngestionTokenRepository } from './repositories/sql-ingestion-token-repository.js';
import { SqlKvRepository } from './repositories/sql-kv-repository.js';
import { SqlOrgRepository } from './repositories/sql-org-repository.js';
import { SqlSchemaRepository } from './repositories/sql-schema-repository.js';
import { SqlSessionRepository } from './repositories/sql-session-repository.js';
import { SqlShortUrlRepository } from './repositories/sql-short-url-repository.js';
import { SqlStreamDeletionRepository } from './repositories/sql-stream-deletion-repository.js';
import { SqlDataDeletionRepository } from './repositories/sql-data-deletion-repository.js';
import { SqlStreamRepository } from './repositories/sql-stream-repository.js';
import { SqlUserRepository } from './repositories/sql-user-repository.js';
import type { SqlDatabase } from './sql/sql-database.js';

export interface SqlMetaStoreOptions {
  /** Clock for createdAt/updatedAt (ms); tests may pin it. */
  now?: () => number;
}

/**
 * The repositories, written once against SqlDatabase. SQLite and Postgres differ only in their
 * adapter (placeholders, transactions, error codes) and their migration scripts.
 */
export abstract class SqlMetaStore implements MetaStore {
  readonly orgs: OrgRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly streams: StreamRepository;
  readonly schemas: SchemaRepository;
  readonly fileList: FileListRepository;
  readonly streamDeletions: StreamDeletionRepository;
  readonly dataDeletions: DataDeletionRepository;
  readonly kv: KvRepository;
  readonly folders: FolderRepository;
  readonly dashboards: DashboardRepository;
  readonly annotations: AnnotationRepository;
  readonly ingestionTokens: IngestionTokenRepository;
  readonly shortUrls: ShortUrlRepository;
  readonly alerts: AlertRepository;
  readonly alertDestinations: NamedDocumentRepository;
  readonly alertTemplates: NamedDocumentRepository;
  readonly alertHistory: AlertHistoryRepository;
  readonly pipelines: PipelineRepository;
  readonly functions: FunctionRepository;
  readonly #db: SqlDatabase;
  readonly #migrations: MigrationSet;
  readonly #now: () => number;

  protected constructor(db: SqlDatabase, migrations: MigrationSet, options: SqlMetaStoreOptions) {
    const now = options.now ?? Date.now;
    this.#db = db;
    this.#migrations = migrations;
    this.#now = now;
    this.orgs = new SqlOrgRepository(db, now);
    this.users = new SqlUserRepository(db, now);
    this.sessions = new SqlSessionRepository(db);
    this.streams = new SqlStreamRepository(db, now);
    this.schemas = new SqlSchemaRepository(db, now);
    this.fileList = new SqlFileListRepository(db, now);
    this.streamDeletions = new SqlStreamDeletionRepository(db, now);
    this.dataDeletions = new SqlDataDeletionRepository(db, now);
    this.kv = new SqlKvRepository(db, now);
    this.folders = new SqlFolderRepository(db, now);
    this.dashboards = new SqlDashboardRepository(db, now);
    this.annotations = new SqlAnnotationRepository(db, now);
    this.ingestionTokens = new SqlIngestionTokenRepository(db, now);
    this.shortUrls = new SqlShortUrlRepository(db, now);
    this.alerts = new SqlAlertRepository(db, now);
    this.alertDestinations = new SqlNamedDocumentRepository(
      db,
      now,
      'alert_destinations',
      'Destination',
    );
    this.alertTemplates = new SqlNamedDocumentRepository(db, now, 'alert_templates', 'Template');
    this.alertHistory = new SqlAlertHistoryRepository(db);
    this.pipelines = new SqlPipelineRepository(db, now);
    this.functions = new SqlFunctionRepository(db, now);
  }

  migrate(): Promise<MigrationReport> {
    return runMigrations(this.#db, this.#migrations, this.#now);
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
