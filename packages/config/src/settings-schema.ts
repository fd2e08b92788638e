import { z } from 'zod';
import { ALERT_SETTINGS } from './settings-alerts.js';
import { MEMORY_SETTINGS } from './settings-memory.js';
import { INGEST_PACING_SETTINGS } from './settings-ingest-pacing.js';
import { bool, int, oneOf, str } from './setting-types.js';

/**
 * Every ZO_* setting O2TS reads, under O2's names and with O2's defaults (O2-CONTRACT §13).
 * Sections only order the README table; the config is one flat object keyed by the names users
 * already put in their `.env`, Helm values and compose files.
 */
export const SETTING_SECTIONS = [
  {
    title: 'Identity, auth and network',
    shape: {
      ZO_ROOT_USER_EMAIL: str(
        '',
        'E-mail of the root user, created on the first start (required then).',
      ),
      ZO_ROOT_USER_PASSWORD: str(
        '',
        'Password of the root user on the first start; must meet the password policy.',
        { secret: true },
      ),
      ZO_ROOT_USER_TOKEN: str('', 'Fixed ingestion passcode for root (random when empty).', {
        secret: true,
      }),
      ZO_HTTP_PORT: int(5080, 'HTTP port of the API.', { min: 0, max: 65535 }),
      ZO_HTTP_ADDR: str('', 'Address the HTTP server binds to (all interfaces when empty).'),
      ZO_HTTP_IPV6_ENABLED: bool(false, 'Bind the HTTP server to [::] instead of 0.0.0.0.'),
      ZO_GRPC_PORT: int(
        5081,
        'gRPC port: OTLP/gRPC on the single node and the router; calls between nodes in a cluster.',
        { min: 0, max: 65535 },
      ),
      ZO_GRPC_ADDR: str('', 'Address the gRPC server binds to (all interfaces when empty).'),
      ZO_GRPC_ORG_HEADER_KEY: str(
        'organization',
        'OTLP/gRPC request metadata naming the org (default org when absent).',
      ),
      ZO_GRPC_STREAM_HEADER_KEY: str(
        'stream-name',
        'OTLP header (HTTP) or metadata (gRPC) naming the log or trace stream (default when absent).',
      ),
      ZO_GRPC_MAX_MESSAGE_SIZE: int(32, 'Largest gRPC message between nodes, in MB.', { min: 1 }),
      ZO_INTERNAL_GRPC_TOKEN: str('', 'Shared token checked on calls between nodes.', {
        secret: true,
      }),
      ZO_WEB_URL: str(
        'http://localhost:5080',
        'Public URL of the UI: the allowed CORS origin and the base of links.',
      ),
      ZO_BASE_URI: str('', 'Path prefix every route is mounted under (e.g. /o2).'),
      ZO_CORS_ALLOWED_ORIGINS: str('', 'Extra allowed CORS origins, comma-separated.'),
      ZO_COOKIE_MAX_AGE: int(2592000, 'Lifetime of the login cookie in seconds.', { min: 1 }),
      ZO_COOKIE_SAME_SITE_LAX: bool(true, 'SameSite=Lax on the login cookie (Strict when false).'),
      ZO_COOKIE_SECURE_ONLY: bool(false, 'Mark the login cookie Secure (HTTPS only).'),
      ZO_PAYLOAD_LIMIT: int(209715200, 'Largest request body in bytes; larger bodies get 413.', {
        min: 1,
      }),
      ZO_ENRICHMENT_TABLE_LIMIT: int(
        256,
        'Largest enrichment table in MB: an upload (file or URL) or an append past it gets 413.',
        { min: 1 },
      ),
      ZO_PROMETHEUS_ENABLED: bool(true, 'Serve the process metrics on /metrics.'),
      ZO_SWAGGER_ENABLED: bool(
        true,
        'Serve the OpenAPI document at /api-doc/openapi.json (no auth).',
      ),
      ZO_INSTANCE_NAME: str('', 'Name of this node (the host name when empty).'),
      ZO_CLUSTER_NAME: str('zo1', 'Name of the cluster; also the key prefix in NATS.'),
      ZO_APP_NAME: str('openobserve', 'Application name reported by /config.'),
      RUST_LOG: str(
        'info',
        'Log level: error, warn, info, debug or trace (O2 keeps the Rust name).',
      ),
    },
  },
  {
    title: 'Topology and stores',
    shape: {
      ZO_LOCAL_MODE: bool(
        true,
        'Single node (all roles in one process, SQLite, local disk) when true; cluster when false.',
      ),
      ZO_LOCAL_MODE_STORAGE: oneOf(
        ['disk', 'local', 's3'],
        'disk',
        'Where a single node keeps Parquet: local disk or S3.',
      ),
      ZO_NODE_ROLE: str(
        'all',
        'Comma list of roles this process runs: all, router, ingester, querier, compactor, alertmanager.',
      ),
      ZO_META_STORE: oneOf(
        ['', 'sqlite', 'postgres'],
        '',
        'Metadata store; empty means sqlite in local mode, postgres in cluster mode.',
      ),
      ZO_META_POSTGRES_DSN: str(
        '',
        'Postgres connection string (postgres://user:pw@host:5432/db).',
        { secret: true },
      ),
      ZO_META_POSTGRES_HOST: str(
        '',
        'Postgres host, used to compose the DSN when ZO_META_POSTGRES_DSN is empty.',
      ),
      ZO_META_POSTGRES_PORT: int(5432, 'Postgres port for the composed DSN.', {
        min: 1,
        max: 65535,
      }),
      ZO_META_POSTGRES_USER: str('', 'Postgres user for the composed DSN.'),
      ZO_META_POSTGRES_PASSWORD: str('', 'Postgres password for the composed DSN.', {
        secret: true,
      }),
      ZO_META_POSTGRES_DBNAME: str('', 'Postgres database for the composed DSN.'),
      ZO_META_CONNECTION_POOL_MAX_SIZE: int(0, 'Postgres pool size (0: 2 × CPU, at least 10).', {
        min: 0,
      }),
      ZO_CLUSTER_COORDINATOR: oneOf(['nats'], 'nats', 'Cluster coordinator.'),
      ZO_QUEUE_STORE: oneOf(
        ['', 'memory', 'nats'],
        '',
        'Event queue; empty means memory in local mode, nats in cluster mode.',
      ),
      ZO_NATS_ADDR: str('localhost:4222', 'NATS server address(es), comma-separated.'),
      ZO_NATS_PREFIX: str('o2_', 'Prefix of the NATS buckets and streams this cluster creates.'),
      ZO_NATS_USER: str('', 'NATS user.'),
      ZO_NATS_PASSWORD: str('', 'NATS password.', { secret: true }),
      ZO_NATS_REPLICAS: int(
        3,
        'JetStream replicas of the buckets and streams (capped by the servers available).',
        { min: 1 },
      ),
      ZO_NATS_CONNECT_TIMEOUT: int(5, 'Seconds to wait for a NATS connection.', { min: 1 }),
      ZO_NATS_EVENT_STORAGE: oneOf(
        ['file', 'memory'],
        'file',
        'JetStream storage of the event stream.',
      ),
      ZO_NODE_HEARTBEAT_TTL: int(
        30,
        'Seconds after the last heartbeat that a node counts as gone.',
        { min: 2 },
      ),
      ZO_S3_PROVIDER: str(
        '',
        'S3 flavour: aws/s3, minio or other S3-compatible (inferred when empty).',
      ),
      ZO_S3_SERVER_URL: str('', 'S3 endpoint URL (empty for AWS).'),
      ZO_S3_REGION_NAME: str('', 'S3 region.'),
      ZO_S3_ACCESS_KEY: str('', 'S3 access key.', { secret: true }),
      ZO_S3_SECRET_KEY: str('', 'S3 secret key.', { secret: true }),
      ZO_S3_BUCKET_NAME: str('', 'S3 bucket holding the Parquet files (created when missing).'),
      ZO_S3_BUCKET_PREFIX: str('', 'Key prefix inside the bucket (a trailing / is added).'),
      ZO_S3_FEATURE_FORCE_HOSTED_STYLE: bool(
        false,
        'Use virtual-hosted-style bucket URLs instead of path style.',
      ),
      ZO_S3_ALLOW_INVALID_CERTIFICATES: bool(false, 'Accept self-signed S3 certificates.'),
    },
  },
  {
    title: 'Ingest, WAL and memtables',
    shape: {
      ZO_INGEST_ALLOWED_UPTO: int(
        5,
        'Oldest accepted _timestamp, in hours before now; older records fail.',
        { min: 0 },
      ),
      ZO_INGEST_ALLOWED_IN_FUTURE: int(
        24,
        'Newest accepted _timestamp, in hours after now; newer records fail.',
        { min: 0 },
      ),
      ZO_INGEST_FLATTEN_LEVEL: int(
        3,
        'Depth to which nested objects are flattened with _ (0: unlimited); deeper objects are kept as JSON text.',
        { min: 0 },
      ),
      ZO_COLS_PER_RECORD_LIMIT: int(
        1000,
        'Most fields one record may have after flattening; a wider record fails.',
        { min: 0 },
      ),
      ZO_COLUMN_TIMESTAMP: str(
        '',
        'A field whose value becomes _timestamp when present (besides _timestamp and @timestamp).',
      ),
      ZO_CREATE_ORG_THROUGH_INGESTION: bool(
        true,
        'Create an organization on its first ingest (only a valid id: letters, digits and _, at most 100).',
      ),
      ZO_FORMAT_STREAM_NAME_TO_LOWERCASE: bool(true, 'Lower-case stream names on ingest.'),
      ZO_SKIP_FORMAT_STREAM_NAME: bool(
        false,
        'Keep stream names exactly as given (no character replacement); a name that cannot be a storage path (empty, over 256 characters, "/", "\\", "..", "*", "?", "[", "]", control characters) still gets 400.',
      ),
      ZO_BULK_RESPONSE_INCLUDE_ERRORS_ONLY: bool(
        false,
        'List only failed items in _bulk responses.',
      ),
      ZO_INGEST_BLOCKED_STREAMS: str(
        '',
        'Comma list of org/type/stream whose ingest is skipped silently.',
      ),
      ZO_INGEST_IDEMPOTENCY_WINDOW: int(
        600,
        'Seconds an ingest request with an Idempotency-Key is remembered: a retry with that key gets the first answer and stores nothing (0: the header is ignored).',
        { min: 0 },
      ),
      ZO_INGEST_IDEMPOTENCY_MAX_MB: int(
        64,
        'Memory in MB for remembered Idempotency-Key answers; past it the oldest keys are forgotten early.',
        { min: 1 },
      ),
      ZO_WAL_FSYNC_DISABLED: bool(
        true,
        'Skip fsync after WAL appends (a process crash still loses nothing acknowledged; a power cut could).',
      ),
      ZO_MAX_FILE_SIZE_ON_DISK: int(512, 'WAL segment size in MB before it rotates.', { min: 1 }),
      ZO_MAX_FILE_SIZE_IN_MEMORY: int(
        512,
        'Memtable size in MB before it becomes immutable and is persisted.',
        { min: 1 },
      ),
      ZO_MAX_FILE_RETENTION_TIME: int(
        600,
        'Seconds a memtable or WAL segment may stay open before it rotates.',
        { min: 1 },
      ),
      ZO_MEM_PERSIST_INTERVAL: int(
        2,
        'Seconds between turning memtables into local Parquet files.',
        { min: 1 },
      ),
      ZO_FILE_PUSH_INTERVAL: int(
        2,
        'Seconds between uploads of local Parquet files to storage (0: 60).',
        { min: 0 },
      ),
      ZO_PERSIST_MAX_ATTEMPTS: int(
        5,
        'Failed tries to write or upload one partition (org/type/stream/hour/partition keys) before its data moves to {ZO_DATA_WAL_DIR}quarantine/ (kept, listed by GET /node/quarantine); an unreachable object or metadata store never counts.',
        { min: 1 },
      ),
      ZO_PERSIST_RETRY_MAX_BACKOFF: int(
        60,
        'Longest wait in seconds between retries of a partition that failed to persist or upload (the wait doubles from 1 s).',
        { min: 1 },
      ),
      ZO_MEM_TABLE_MAX_SIZE: int(
        0,
        'Memory cap in MB for all memtables; past it ingest answers 503 (0: 25% of RAM).',
        { min: 0 },
      ),
      ZO_COMPACT_ENABLED: bool(
        true,
        'Merge small files of a stream partition into larger ones (compactor leader). Deletions and retention run either way.',
      ),
      ZO_COMPACT_INTERVAL: int(
        10,
        'Seconds between compactor runs (deletions, small-file merges, file_list upkeep) on the leader; a deletion request also wakes it at once.',
        { min: 1 },
      ),
      ZO_COMPACT_DELETE_FILES_DELAY_MINUTES: int(
        120,
        'Minutes a file marked deleted stays in storage before the compactor removes it (running queries may still read it). The single node removes it sooner, once no query begun before the mark is running.',
        { min: 0 },
      ),
      ZO_COMPACT_MAX_FILE_SIZE: int(
        2048,
        'Largest file, in MB, that merging small files may produce (below 1: 512).',
        { min: 0 },
      ),
      ZO_COMPACT_DATA_RETENTION_DAYS: int(
        3650,
        'Days data is kept when a stream sets no data_retention; whole day partitions older than that are deleted by the compactor (at least 3).',
        { min: 3 },
      ),
      ZO_COMPACT_DATA_RETENTION_INTERVAL: int(
        3600,
        'Seconds between retention passes of the compactor leader (one also runs when it is elected).',
        { min: 1 },
      ),
    },
  },
  {
    title: 'Search',
    shape: {
      ZO_QUERY_DEFAULT_LIMIT: int(
        1000,
        'Rows a search returns when neither size nor a SQL LIMIT says otherwise.',
        { min: 1 },
      ),
      ZO_QUERY_VALUES_DEFAULT_NUM: int(10, 'Values per field that _values returns by default.', {
        min: 1,
      }),
      ZO_DASHBOARD_PLACEHOLDER: str(
        '_o2_all_',
        'The value a dashboard variable sends for "All": a SQL predicate comparing a column with it is read as true (false when negated).',
      ),
      ZO_QUERY_TIMEOUT: int(600, 'Seconds a query may run before it is interrupted.', { min: 1 }),
      ZO_QUERY_THREAD_NUM: int(0, 'DuckDB threads per process (0: one per CPU).', { min: 0 }),
      ZO_QUERY_ENGINE_CONCURRENCY: int(0, 'Searches run at once (0: DuckDB threads).', { min: 0 }),
      ZO_ENABLE_INVERTED_INDEX: bool(
        true,
        'Write a token index per file and use it to skip files match_all cannot match.',
      ),
      ZO_PARQUET_MAX_ROW_GROUP_SIZE: int(
        0,
        'Rows per Parquet row group in files the ingester and compactor write (0: 16384, O2 uses 131072). The token index tells row groups apart, so smaller groups let a rare term read less, at some cost in file size.',
        { min: 0 },
      ),
      ZO_DISK_CACHE_MAX_SIZE: int(
        0,
        'MB of object-store files a querier keeps on local disk (0: 10% of the disk, at most 50 GB).',
        { min: 0 },
      ),
      ZO_METRICS_MAX_SERIES_RESPONSE: int(
        40000,
        'Most series one PromQL query or series/labels lookup may read; more is a query error.',
        { min: 1 },
      ),
      ZO_METRICS_MAX_POINTS_PER_SERIES: int(
        30000,
        'Most samples a PromQL query may read for one series in its time range; more is a query error.',
        { min: 1 },
      ),
    },
  },
  MEMORY_SETTINGS,
  INGEST_PACING_SETTINGS,
  {
    title: 'Metrics',
    shape: {
      ZO_PROMETHEUS_HA_CLUSTER: str(
        'cluster',
        'Remote-write label naming an HA group of Prometheus replicas (dedup is per org and value).',
      ),
      ZO_PROMETHEUS_HA_REPLICA: str(
        '__replica__',
        'Remote-write label naming the replica within an HA group; dropped from stored series.',
      ),
      ZO_METRICS_DEDUP_ENABLED: bool(
        true,
        'Keep remote-write samples of an HA group from its elected leader replica only.',
      ),
      ZO_METRICS_LEADER_ELECTION_INTERVAL: int(
        30,
        'Seconds an HA leader may stay silent before another replica of its group takes over.',
        { min: 1 },
      ),
      ZO_PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS: int(
        16,
        'Most classic _bucket series (+Inf included) a native histogram expands to; adjacent buckets merge past it.',
        { min: 1 },
      ),
    },
  },
  ALERT_SETTINGS,
  {
    title: 'Data directories',
    shape: {
      ZO_DATA_DIR: str('./data/openobserve/', 'Root of everything this node keeps on disk.'),
      ZO_DATA_WAL_DIR: str(
        '',
        'Write-ahead log and not-yet-uploaded Parquet ({ZO_DATA_DIR}wal/ when empty).',
      ),
      ZO_DATA_STREAM_DIR: str('', 'Parquet files in disk mode ({ZO_DATA_DIR}stream/ when empty).'),
      ZO_DATA_DB_DIR: str('', 'SQLite metadata ({ZO_DATA_DIR}db/ when empty).'),
      ZO_DATA_CACHE_DIR: str('', 'Query file cache ({ZO_DATA_DIR}cache/ when empty).'),
      ZO_DATA_TMP_DIR: str('', 'Scratch space ({ZO_DATA_DIR}tmp/ when empty).'),
    },
  },
] as const;

type Sections = typeof SETTING_SECTIONS;
/** Every section's shape as one (an intersection, so each setting keeps its own type). */
type Intersect<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void
  ? I
  : never;
type MergedShape = Intersect<Sections[number]['shape']>;

const mergedShape = Object.assign({}, ...SETTING_SECTIONS.map((s) => s.shape)) as MergedShape;

export const settingsSchema = z.object(mergedShape);

/** The settings exactly as read (before derivation). */
export type RawSettings = z.output<typeof settingsSchema>;
