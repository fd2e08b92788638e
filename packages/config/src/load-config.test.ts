import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '@o2/errors';
import { loadConfig, mergeEnv, readEnvFile, renderSettingsTable } from './index.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(isAppError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it("uses O2's defaults for a single node", () => {
    const config = loadConfig({});
    expect(config.ZO_HTTP_PORT).toBe(5080);
    expect(config.ZO_LOCAL_MODE).toBe(true);
    expect(config.ZO_META_STORE).toBe('sqlite');
    expect(config.ZO_QUEUE_STORE).toBe('memory');
    expect(config.objectStorage).toBe('disk');
    expect(config.roles).toEqual(['router', 'ingester', 'querier', 'compactor', 'alertmanager']);
    expect(config.ZO_DATA_DIR).toBe('./data/openobserve/');
    expect(config.ZO_DATA_DB_DIR).toBe('./data/openobserve/db/');
    expect(config.ZO_PAYLOAD_LIMIT).toBe(209715200);
  });

  it('coerces numbers and booleans and derives dirs from ZO_DATA_DIR', () => {
    const config = loadConfig({
      ZO_HTTP_PORT: '6080',
      ZO_PROMETHEUS_ENABLED: 'false',
      ZO_DATA_DIR: '/tmp/o2',
    });
    expect(config.ZO_HTTP_PORT).toBe(6080);
    expect(config.ZO_PROMETHEUS_ENABLED).toBe(false);
    expect(config.ZO_DATA_DIR).toBe('/tmp/o2/');
    expect(config.ZO_DATA_WAL_DIR).toBe('/tmp/o2/wal/');
  });

  it("takes O2's remote-write HA and native-histogram defaults", () => {
    const config = loadConfig({});
    expect(config.ZO_PROMETHEUS_HA_CLUSTER).toBe('cluster');
    expect(config.ZO_PROMETHEUS_HA_REPLICA).toBe('__replica__');
    expect(config.ZO_METRICS_DEDUP_ENABLED).toBe(true);
    expect(config.ZO_METRICS_LEADER_ELECTION_INTERVAL).toBe(30);
    expect(config.ZO_PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS).toBe(16);
    expect(problemsOf({ ZO_PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS: '0' })).toContain(
      'ZO_PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS',
    );
  });

  it('lists every problem at once', () => {
    const message = problemsOf({
      ZO_HTTP_PORT: 'eighty',
      ZO_LOCAL_MODE: 'maybe',
      ZO_COOKIE_MAX_AGE: '-1',
    });
    expect(message).toContain('ZO_HTTP_PORT');
    expect(message).toContain('ZO_LOCAL_MODE');
    expect(message).toContain('ZO_COOKIE_MAX_AGE');
    expect(message).toContain('3 problems');
  });

  it('names every missing cluster setting when ZO_LOCAL_MODE=false', () => {
    const message = problemsOf({ ZO_LOCAL_MODE: 'false', ZO_NODE_ROLE: 'router' });
    expect(message).toContain('ZO_META_POSTGRES_DSN');
    expect(message).toContain('ZO_S3_BUCKET_NAME');
    expect(message).toContain('ZO_INTERNAL_GRPC_TOKEN: required in cluster mode');
    expect(message).toContain('3 problems');
  });

  it('refuses SQLite and the memory queue in cluster mode', () => {
    const message = problemsOf({
      ZO_LOCAL_MODE: 'false',
      ZO_META_STORE: 'sqlite',
      ZO_QUEUE_STORE: 'memory',
      ZO_META_POSTGRES_DSN: 'postgres://o2@db/o2',
      ZO_S3_BUCKET_NAME: 'b',
    });
    expect(message).toContain('meta store only supports postgres in cluster mode');
    expect(message).toContain('ZO_QUEUE_STORE');
  });

  it('accepts a complete cluster config and composes the DSN from parts', () => {
    const config = loadConfig({
      ZO_LOCAL_MODE: 'false',
      ZO_NODE_ROLE: 'ingester,querier',
      ZO_META_POSTGRES_HOST: 'db',
      ZO_META_POSTGRES_USER: 'o2',
      ZO_META_POSTGRES_PASSWORD: 'p@ss',
      ZO_META_POSTGRES_DBNAME: 'app',
      ZO_S3_BUCKET_NAME: 'o2',
      ZO_S3_SERVER_URL: 'http://minio:9000',
      ZO_S3_ACCESS_KEY: 'k',
      ZO_S3_SECRET_KEY: 's',
      ZO_S3_BUCKET_PREFIX: 'o2ts',
      ZO_INTERNAL_GRPC_TOKEN: 'shared-secret',
    });
    expect(config.ZO_META_POSTGRES_DSN).toBe('postgres://o2:p%40ss@db:5432/app');
    expect(config.roles).toEqual(['ingester', 'querier']);
    expect(config.objectStorage).toBe('s3');
    expect(config.ZO_S3_BUCKET_PREFIX).toBe('o2ts/');
  });

  it('rejects unknown roles and a weak root password', () => {
    const message = problemsOf({
      ZO_LOCAL_MODE: 'false',
      ZO_NODE_ROLE: 'router,janitor',
      ZO_META_POSTGRES_DSN: 'postgres://x@y/z',
      ZO_S3_BUCKET_NAME: 'b',
      ZO_ROOT_USER_PASSWORD: 'short',
      ZO_ROOT_USER_EMAIL: 'nobody',
    });
    expect(message).toContain('unknown role "janitor"');
    expect(message).toContain('ZO_ROOT_USER_PASSWORD');
    expect(message).toContain('ZO_ROOT_USER_EMAIL');
  });

  it('reads a .env file under the real environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'o2-env-'));
    writeFileSync(join(dir, '.env'), 'ZO_HTTP_PORT=7000\nZO_APP_NAME=fromfile\n');
    const env = mergeEnv(readEnvFile(join(dir, '.env')), { ZO_HTTP_PORT: '7001' });
    const config = loadConfig(env);
    expect(config.ZO_HTTP_PORT).toBe(7001);
    expect(config.ZO_APP_NAME).toBe('fromfile');
    expect(readEnvFile(join(dir, 'missing.env'))).toEqual({});
  });

  it('describes every setting in the generated table', () => {
    const table = renderSettingsTable();
    expect(table).toContain('| `ZO_HTTP_PORT` | `5080` |');
    expect(table).toContain('`ZO_META_POSTGRES_DSN`');
  });
});
