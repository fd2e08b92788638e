import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@o2/testing';

/** The repository root, from this file's place in e2e/src or e2e/dist. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ProductProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs a built service (`services/<name>/dist/main.js`) as a real child process with its own
 * environment on a random port — the way a user or a container runs it.
 */
export async function startProductProcess(
  service: string,
  env: Record<string, string>,
  /**
   * `cwd`: the working directory (a relative ZO_DATA_DIR lands under it; the repository root by
   * default). `script`: the entry point (default `services/<service>/dist/main.js`), e.g. the
   * one in a production tree made by `pnpm deploy`. `nodeArgs`: Node's own flags before the
   * script (e.g. `--cpu-prof` for a profiling run).
   */
  options: { port?: number; cwd?: string; script?: string; nodeArgs?: readonly string[] } = {},
): Promise<ProductProcess> {
  const port = options.port ?? (await freePort());
  // Every process gets its own gRPC port too (the single node serves OTLP/gRPC on it), so
  // processes started side by side never compete for the default 5081.
  const grpcPort = await freePort();
  const script = options.script ?? `${REPO_ROOT}services/${service}/dist/main.js`;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    cwd: options.cwd ?? REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      // As the Dockerfile and `pnpm start` run it (see deploy/docker/Dockerfile).
      MALLOC_ARENA_MAX: process.env['MALLOC_ARENA_MAX'] ?? '2',
      MALLOC_MMAP_THRESHOLD_: process.env['MALLOC_MMAP_THRESHOLD_'] ?? '131072',
      ZO_HTTP_PORT: String(port),
      ZO_HTTP_ADDR: '127.0.0.1',
      ZO_GRPC_PORT: String(grpcPort),
      ZO_GRPC_ADDR: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => log,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `url` until it answers 200, the process exits, or the deadline passes. */
export async function waitUntilHealthy(product: ProductProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | undefined;
  void product.exited.then((code) => (exitedWith = code));
  while (Date.now() < deadline) {
    if (exitedWith !== undefined)
      throw new Error(`process exited (${exitedWith}) before it was healthy:\n${product.output()}`);
    try {
      const response = await fetch(`${product.url}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not healthy after ${timeoutMs} ms:\n${product.output()}`);
}

/**
 * `startProductProcess` then `waitUntilHealthy`, started again on new ports (up to twice) when
 * the process lost its port before binding: a port is free when picked, but until the server
 * binds it another process's outgoing connection may take it as its ephemeral port (EADDRINUSE
 * in the log). Every test's single node starts through it. A fixed `options.port` is not
 * retried.
 */
export async function startHealthyProduct(
  service: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
  options: Parameters<typeof startProductProcess>[2] = {},
): Promise<ProductProcess> {
  for (let attempt = 0; ; attempt++) {
    const product = await startProductProcess(service, env, options);
    try {
      await waitUntilHealthy(product, timeoutMs);
      return product;
    } catch (error) {
      await product.stop('SIGKILL');
      const lostPort = product.output().includes('EADDRINUSE');
      if (!lostPort || options.port !== undefined || attempt >= 2) throw error;
    }
  }
}

/** The root user the e2e tests' single nodes are started with and sign in as. */
export const ROOT = { email: 'root@example.com', password: 'Complexpass#123' };

/** The environment that creates `ROOT` at a node's first start. */
export function rootUserEnv(): Record<string, string> {
  return { ZO_ROOT_USER_EMAIL: ROOT.email, ZO_ROOT_USER_PASSWORD: ROOT.password };
}

export function basicAuth(email: string, password: string): string {
  return `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;
}
