import { sqlitePipelines } from './pipelines-migration.js';
import { sqliteAlerts } from './alerts-migration.js';
import type { MigrationSet } from './migration.js';

// STRICT tables make SQLite reject a value of the wrong type instead of storing it as-is.
// Booleans are INTEGER 0/1; JSON is TEXT; times are INTEGER (ms, or µs for file timestamps).
const initial = `
CREATE TABLE organizations (
  identifier TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  org_type TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  email TEXT PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  is_root INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_single_root ON users (is_root) WHERE is_root = 1;

CREATE TABLE org_users (
  org TEXT NOT NULL REFERENCES organizations (identifier),
  email TEXT NOT NULL REFERENCES users (email),
  role TEXT NOT NULL,
  token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org, email)
) STRICT;
CREATE INDEX org_users_email ON org_users (email);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL REFERENCES users (email),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_email ON sessions (email);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE streams (
  org TEXT NOT NULL,
  stream_type TEXT NOT NULL,
  stream_name TEXT NOT NULL,
  settings TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org, stream_type, stream_name)
) STRICT;

CREATE TABLE stream_schemas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org TEXT NOT NULL,
  stream_type TEXT NOT NULL,
  stream_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  start_ts INTEGER NOT NULL,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (org, stream_type, stream_name, version)
) STRICT;

CREATE TABLE file_list (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org TEXT NOT NULL,
  stream_type TEXT NOT NULL,
  stream_name TEXT NOT NULL,
  date TEXT NOT NULL,
  file TEXT NOT NULL,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  records INTEGER NOT NULL,
  original_size INTEGER NOT NULL,
  compressed_size INTEGER NOT NULL,
  index_size INTEGER NOT NULL,
  flattened INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (org, stream_type, stream_name, date, file)
) STRICT;
CREATE INDEX file_list_stream_min_ts ON file_list (org, stream_type, stream_name, min_ts);
CREATE INDEX file_list_stream_max_ts ON file_list (org, stream_type, stream_name, max_ts);

CREATE TABLE file_list_deleted (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org TEXT NOT NULL,
  stream_type TEXT NOT NULL,
  stream_name TEXT NOT NULL,
  date TEXT NOT NULL,
  file TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (org, stream_type, stream_name, date, file)
) STRICT;
CREATE INDEX file_list_deleted_created_at ON file_list_deleted (created_at);

CREATE TABLE kv_store (
  org TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org, key)
) STRICT;
`;

// A stream deletion the router recorded and the compactor has not finished (one per stream: a
// repeated request renews it). last_file_id bounds the files it covers.
const streamDeletions = `
CREATE TABLE stream_deletions (
  org TEXT NOT NULL,
  stream_type TEXT NOT NULL,
  stream_name TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  last_file_id INTEGER NOT NULL,
  PRIMARY KEY (org, stream_type, stream_name)
) STRICT;
CREATE INDEX stream_deletions_requested_at ON stream_deletions (requested_at);
CREATE INDEX file_list_stream_id ON file_list (org, stream_type, stream_name, id);
`;

// Folders, dashboards and timed annotations (O2-CONTRACT §10, §11). A dashboard's document is
// TEXT in both dialects, never JSONB: it is served back byte for byte. The foreign key from a
// dashboard to its folder is what makes "a folder with dashboards cannot be deleted" hold under
// concurrent writers; annotations go with their dashboard.
const dashboards = `
CREATE TABLE folders (
  org TEXT NOT NULL,
  folder_type TEXT NOT NULL,
  folder_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org, folder_type, folder_id),
  UNIQUE (org, folder_type, name)
) STRICT;

CREATE TABLE dashboards (
  org TEXT NOT NULL,
  dashboard_id TEXT NOT NULL,
  folder_type TEXT NOT NULL DEFAULT 'dashboards' CHECK (folder_type = 'dashboards'),
  folder_id TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  owner TEXT NOT NULL,
  role TEXT NOT NULL,
  created TEXT NOT NULL,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org, dashboard_id),
  FOREIGN KEY (org, folder_type, folder_id) REFERENCES folders (org, folder_type, folder_id)
) STRICT;
CREATE INDEX dashboards_folder ON dashboards (org, folder_type, folder_id);

CREATE TABLE timed_annotations (
  org TEXT NOT NULL,
  dashboard_id TEXT NOT NULL,
  annotation_id TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  title TEXT NOT NULL,
  text TEXT,
  tags TEXT NOT NULL,
  panels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org, dashboard_id, annotation_id),
  FOREIGN KEY (org, dashboard_id) REFERENCES dashboards (org, dashboard_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX timed_annotations_start ON timed_annotations (org, dashboard_id, start_time);
`;

// O2's org_ingestion_tokens (the value is kept because O2 lists it back to admins; the hash is
// what ingest looks it up by) and its short URLs, both per org.
const management = `
CREATE TABLE org_ingestion_tokens (
  org TEXT NOT NULL REFERENCES organizations (identifier),
  name TEXT NOT NULL,
  token TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  description TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org, name)
) STRICT;
CREATE UNIQUE INDEX org_ingestion_tokens_hash ON org_ingestion_tokens (token_hash);

CREATE TABLE short_urls (
  org TEXT NOT NULL,
  short_id TEXT NOT NULL,
  original_url TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org, short_id)
) STRICT;`;

// Compactor jobs (O2's data_by_time_range): a delete of a stream's data in a time range, recorded
// by the router and carried out by the compactor leader; kept after completion for the status
// route. Stream deletions have their own table (migration 2).
const dataDeletions = `
CREATE TABLE data_deletions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org TEXT NOT NULL,
  stream_type TEXT NOT NULL,
  stream_name TEXT NOT NULL,
  start_ts INTEGER NOT NULL,
  end_ts INTEGER NOT NULL,
  requested_at INTEGER NOT NULL,
  completed_at INTEGER,
  files INTEGER NOT NULL
) STRICT;
CREATE INDEX data_deletions_pending ON data_deletions (completed_at, id);
`;

// O2's saved functions (Transform): VRL (trans_type 0) or JavaScript (1) source by name per org;
// `streams` is O2's legacy stream association as JSON text (NULL when not given).
const functions = `
CREATE TABLE functions (
  org TEXT NOT NULL,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  params TEXT NOT NULL,
  num_args INTEGER NOT NULL,
  trans_type INTEGER NOT NULL CHECK (trans_type IN (0, 1)),
  streams TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org, name)
) STRICT;
`;

export const sqliteMigrations: MigrationSet = {
  dialect: 'sqlite',
  // The SQLite adapter opens every transaction with BEGIN IMMEDIATE, which already excludes
  // other writers (other processes wait on busy_timeout).
  migrations: [
    { version: 1, name: 'initial', sql: initial },
    { version: 2, name: 'stream deletions', sql: streamDeletions },
    // O2 keeps `prom_metadata` (and other schema metadata) per stream.
    {
      version: 3,
      name: 'stream_metadata',
      sql: `ALTER TABLE streams ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';`,
    },
    { version: 4, name: 'dashboards and folders', sql: dashboards },
    { version: 5, name: 'compactor jobs', sql: dataDeletions },
    { version: 6, name: 'management api', sql: management },
    { version: 7, name: 'alerts', sql: sqliteAlerts },
    { version: 8, name: 'functions', sql: functions },
    { version: 9, name: 'pipelines', sql: sqlitePipelines },
  ],
};
