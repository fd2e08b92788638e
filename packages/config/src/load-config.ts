import { hostname } from 'node:os';
import { AppError } from '@o2/errors';
import { describePasswordProblems, isValidEmail, passwordProblems } from '@o2/domain';
import { settingsSchema } from './settings-schema.js';
import type { RawSettings } from './settings-schema.js';

export const NODE_ROLES = ['router', 'ingester', 'querier', 'compactor', 'alertmanager'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

const ROLE_ALIASES: Readonly<Record<string, NodeRole[]>> = {
  all: [...NODE_ROLES],
  router: ['router'],
  ingester: ['ingester'],
  querier: ['querier'],
  compactor: ['compactor'],
  alertmanager: ['alertmanager'],
  alert_manager: ['alertmanager'],
  scheduler: ['alertmanager'],
};

/** Settings after O2's derivations: trailing slashes, derived dirs, resolved stores and roles. */
export interface Config extends RawSettings {
  ZO_META_STORE: 'sqlite' | 'postgres';
  ZO_QUEUE_STORE: 'memory' | 'nats';
  /** The roles this process runs, parsed from ZO_NODE_ROLE (all five in local mode). */
  roles: readonly NodeRole[];
  /** Where Parquet lives: the local stream dir, or S3. */
  objectStorage: 'disk' | 's3';
}

function withSlash(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}

function composePostgresDsn(s: RawSettings): string {
  if (s.ZO_META_POSTGRES_DSN !== '') return s.ZO_META_POSTGRES_DSN;
  if (s.ZO_META_POSTGRES_HOST === '') return '';
  const user = encodeURIComponent(s.ZO_META_POSTGRES_USER);
  const password =
    s.ZO_META_POSTGRES_PASSWORD === '' ? '' : `:${encodeURIComponent(s.ZO_META_POSTGRES_PASSWORD)}`;
  const auth = user === '' ? '' : `${user}${password}@`;
  return `postgres://${auth}${s.ZO_META_POSTGRES_HOST}:${s.ZO_META_POSTGRES_PORT}/${encodeURIComponent(s.ZO_META_POSTGRES_DBNAME)}`;
}

function parseRoles(value: string, problems: string[]): NodeRole[] {
  const roles = new Set<NodeRole>();
  for (const word of value
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '')) {
    const mapped = ROLE_ALIASES[word];
    if (mapped === undefined)
      problems.push(
        `ZO_NODE_ROLE: unknown role "${word}" (use ${Object.keys(ROLE_ALIASES).join(', ')})`,
      );
    else mapped.forEach((r) => roles.add(r));
  }
  if (roles.size === 0 && problems.length === 0)
    problems.push('ZO_NODE_ROLE: at least one role is needed');
  return NODE_ROLES.filter((r) => roles.has(r));
}

/**
 * Parses and checks the whole environment and reports every problem in one error, so a user
 * fixing a deployment sees the full list at once instead of one restart per mistake.
 * Pure: the caller passes the environment (and any `.env` values merged under it).
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const known: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[key];
    if (value !== undefined) known[key] = value;
  }
  const parsed = settingsSchema.safeParse(known);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const value = known[String(issue.path[0])];
      problems.push(
        `${issue.path.join('.')}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`,
      );
    }
    throw configError(problems);
  }
  const s = parsed.data;
  const localMode = s.ZO_LOCAL_MODE;
  const dataDir = withSlash(s.ZO_DATA_DIR);
  const dsn = composePostgresDsn(s);
  const roles = localMode ? [...NODE_ROLES] : parseRoles(s.ZO_NODE_ROLE, problems);

  let metaStore: 'sqlite' | 'postgres' =
    s.ZO_META_STORE === '' ? (localMode ? 'sqlite' : 'postgres') : s.ZO_META_STORE;
  let queueStore: 'memory' | 'nats' =
    s.ZO_QUEUE_STORE === '' ? (localMode ? 'memory' : 'nats') : s.ZO_QUEUE_STORE;
  const objectStorage: 'disk' | 's3' =
    localMode && s.ZO_LOCAL_MODE_STORAGE !== 's3' ? 'disk' : 's3';

  if (!localMode) {
    if (metaStore !== 'postgres')
      problems.push(
        'ZO_META_STORE: meta store only supports postgres in cluster mode (ZO_LOCAL_MODE=false)',
      );
    if (queueStore === 'memory')
      problems.push('ZO_QUEUE_STORE: memory is only allowed in local mode; use nats');
    if (dsn === '')
      problems.push(
        'ZO_META_POSTGRES_DSN: required in cluster mode (or set ZO_META_POSTGRES_HOST, _USER, _PASSWORD, _DBNAME)',
      );
    if (s.ZO_NATS_ADDR === '') problems.push('ZO_NATS_ADDR: required in cluster mode');
    // Every internal gRPC call (scan shares, hot data, ingest forwarding) is checked against
    // this token; empty would let anyone who reaches a node's gRPC port read or write any org's
    // data. The Helm chart, `pnpm cluster` and the compose file all set one.
    if (s.ZO_INTERNAL_GRPC_TOKEN === '')
      problems.push(
        'ZO_INTERNAL_GRPC_TOKEN: required in cluster mode (any shared secret, e.g. `openssl rand -hex 24`)',
      );
    metaStore = 'postgres';
    queueStore = 'nats';
  }
  if (metaStore === 'postgres' && dsn === '' && localMode) {
    problems.push('ZO_META_POSTGRES_DSN: required when ZO_META_STORE=postgres');
  }
  if (objectStorage === 's3') {
    const when = localMode ? 'when ZO_LOCAL_MODE_STORAGE=s3' : 'in cluster mode';
    if (s.ZO_S3_BUCKET_NAME === '') problems.push(`ZO_S3_BUCKET_NAME: required ${when}`);
    if ((s.ZO_S3_ACCESS_KEY === '') !== (s.ZO_S3_SECRET_KEY === '')) {
      problems.push('ZO_S3_ACCESS_KEY / ZO_S3_SECRET_KEY: set both or neither');
    }
    if (s.ZO_S3_SERVER_URL !== '' && !/^https?:\/\/[^/]+/.test(s.ZO_S3_SERVER_URL)) {
      problems.push(`ZO_S3_SERVER_URL: must be an http(s) URL (got "${s.ZO_S3_SERVER_URL}")`);
    }
  }
  if (s.ZO_ROOT_USER_EMAIL !== '' && !isValidEmail(s.ZO_ROOT_USER_EMAIL)) {
    problems.push(`ZO_ROOT_USER_EMAIL: not a valid e-mail address (got "${s.ZO_ROOT_USER_EMAIL}")`);
  }
  if (s.ZO_ROOT_USER_PASSWORD !== '') {
    const weak = passwordProblems(s.ZO_ROOT_USER_PASSWORD);
    if (weak.length > 0) problems.push(`ZO_ROOT_USER_PASSWORD: ${describePasswordProblems(weak)}`);
  }
  if (problems.length > 0) throw configError(problems);

  return {
    ...s,
    ZO_DATA_DIR: dataDir,
    ZO_DATA_WAL_DIR: withSlash(s.ZO_DATA_WAL_DIR || `${dataDir}wal/`),
    ZO_DATA_STREAM_DIR: withSlash(s.ZO_DATA_STREAM_DIR || `${dataDir}stream/`),
    ZO_DATA_DB_DIR: withSlash(s.ZO_DATA_DB_DIR || `${dataDir}db/`),
    ZO_DATA_CACHE_DIR: withSlash(s.ZO_DATA_CACHE_DIR || `${dataDir}cache/`),
    ZO_DATA_TMP_DIR: withSlash(s.ZO_DATA_TMP_DIR || `${dataDir}tmp/`),
    ZO_S3_BUCKET_PREFIX: s.ZO_S3_BUCKET_PREFIX === '' ? '' : withSlash(s.ZO_S3_BUCKET_PREFIX),
    ZO_META_POSTGRES_DSN: dsn,
    ZO_META_STORE: metaStore,
    ZO_QUEUE_STORE: queueStore,
    ZO_INSTANCE_NAME: s.ZO_INSTANCE_NAME || hostname(),
    ZO_NODE_ROLE: localMode ? 'all' : s.ZO_NODE_ROLE,
    roles,
    objectStorage,
  };
}

function configError(problems: readonly string[]): AppError {
  const list = problems.map((p) => `  - ${p}`).join('\n');
  return AppError.invalidArgument(
    `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}`,
    {
      details: problems.join('; '),
    },
  );
}
