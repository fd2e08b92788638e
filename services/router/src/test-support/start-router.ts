import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@o2/config';
import type { Config } from '@o2/config';
import { createLogger } from '@o2/logger';
import type { Logger } from '@o2/logger';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { createRouter } from '../app.js';
import type { RouterApp, RouterDeps } from '../app.js';
import { bootstrapRoot } from '../bootstrap-root.js';

export const ROOT_EMAIL = 'root@example.com';
export const ROOT_PASSWORD = 'Complexpass#123';

/** A temp dir for one test file's SQLite database. */
export async function makeDbDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'o2ts-router-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function openStore(dir: string): Promise<MetaStore> {
  const store = await openSqliteMetaStore({ path: join(dir, 'metadata.sqlite') });
  await store.migrate();
  return store;
}

export function testConfig(dir: string, env: Record<string, string> = {}) {
  return loadConfig({
    ZO_ROOT_USER_EMAIL: ROOT_EMAIL,
    ZO_ROOT_USER_PASSWORD: ROOT_PASSWORD,
    ZO_INSTANCE_NAME: 'router-test-1',
    ZO_DATA_DIR: dir,
    RUST_LOG: 'debug',
    ...env,
  });
}

type ExtraDeps = Pick<
  RouterDeps,
  | 'ingest'
  | 'ingester'
  | 'objectStore'
  | 'events'
  | 'search'
  | 'promql'
  | 'registry'
  | 'webRoot'
  | 'tail'
  | 'nodes'
  | 'functionDependencies'
>;

export interface StartedRouter {
  url: string;
  store: MetaStore;
  router: RouterApp;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  /** Stops the server and closes the store. */
  close(): Promise<void>;
}

/**
 * A real router on a random loopback port over a real SQLite store in `dir`, bootstrapped with
 * root. `extend` may add routes through the extension points before it listens.
 */
export async function startRouter(
  dir: string,
  options: {
    env?: Record<string, string>;
    extend?: (router: RouterApp) => void;
    /** Collaborators beyond the metastore (ingest service, ingester controls, object store). */
    deps?: ExtraDeps;
    /**
     * Builds collaborators that need the router's own store and config (a real ingester);
     * `stop` runs after the server closes and before the store does.
     */
    wire?: (context: {
      store: MetaStore;
      config: Config;
      logger: Logger;
    }) => Promise<ExtraDeps & { stop?: () => Promise<void> }>;
  } = {},
): Promise<StartedRouter> {
  const config = testConfig(dir, options.env);
  const logs: string[] = [];
  const logger = createLogger({
    level: config.RUST_LOG,
    destination: { write: (line: string) => void logs.push(line) },
  });
  const store = await openStore(dir);
  await bootstrapRoot({ metaStore: store, config, logger });
  const wired = await options.wire?.({ store, config, logger });
  const router = createRouter({
    config,
    logger,
    metaStore: store,
    ...options.deps,
    ...(wired === undefined
      ? {}
      : {
          ingest: wired.ingest,
          ingester: wired.ingester,
          objectStore: wired.objectStore,
          events: wired.events,
          search: wired.search,
          promql: wired.promql,
          tail: wired.tail,
          ...(wired.registry === undefined ? {} : { registry: wired.registry }),
        }),
  });
  options.extend?.(router);
  const server = await router.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${server.port}`,
    store,
    router,
    logs,
    close: async () => {
      await server.close();
      await wired?.stop?.();
      await store.close();
    },
  };
}

export function basic(email: string, secret: string): string {
  return `Basic ${Buffer.from(`${email}:${secret}`).toString('base64')}`;
}

export const rootAuth = (): string => basic(ROOT_EMAIL, ROOT_PASSWORD);

export interface CallOptions {
  method?: string;
  auth?: string;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

/** One real HTTP request. */
export async function call(
  url: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== undefined) headers['authorization'] = options.auth;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${url}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}
