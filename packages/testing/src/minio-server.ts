import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AppError } from '@o2/errors';
import { ensureTool } from './ensure-tool.js';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';

export interface MinioServerHandle {
  /** `http://127.0.0.1:<port>`, ready for an S3 client. */
  endpoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  region: 'us-east-1';
  /** The temp dir MinIO keeps its objects in; removed by `stop()`. */
  dataDir: string;
  /** SIGTERM, SIGKILL after 5 s, then removes `dataDir`. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Outage tests: stops the server (SIGTERM; SIGKILL after 5 s) but keeps its port, credentials
   * and objects, so `start()` brings the same store back.
   */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port over the same data; resolves when live. */
  start(): Promise<void>;
  /** `halt()`, wait `downMs`, `start()`. */
  restart(downMs?: number): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const ATTEMPTS = 3;
/** Enough of MinIO's output to explain a failed start without holding a whole log in memory. */
const OUTPUT_TAIL_CHARS = 8_000;

class OutputTail {
  private text = '';
  append(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  }
  toString(): string {
    return this.text.trim() === '' ? '(no output)' : this.text.trim();
  }
}

/** Root credentials for the server; random when absent (a chart test passes the chart's own). */
export interface MinioServerOptions {
  accessKey?: string;
  secretKey?: string;
}

/**
 * Starts a real MinIO server on a random loopback port with random root credentials (or those
 * of `options`) and resolves once `/minio/health/ready` answers 200 and IAM is up (live is too
 * early: until both are, MinIO answers S3 requests 503). Start in `beforeAll`, stop in
 * `afterAll`.
 */
export async function startMinioServer(
  options: MinioServerOptions = {},
): Promise<MinioServerHandle> {
  const binary = ensureTool({
    name: 'minio',
    install: { kind: 'go', module: 'github.com/minio/minio@latest' },
  });
  let lastError: unknown;
  // freePort() only says a port *was* free; another process may take it before MinIO binds, so
  // a bind failure is retried on fresh ports instead of failing the whole test file.
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      return await startOnce(binary, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw lastError;
}

class PortTakenError extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}

async function startOnce(binary: string, options: MinioServerOptions): Promise<MinioServerHandle> {
  const dir = await makeTempDir('minio');
  const port = await freePort();
  let consolePort = await freePort();
  while (consolePort === port) consolePort = await freePort();
  const server = new MinioProcess(binary, {
    dataDir: dir.path,
    port,
    consolePort,
    accessKey: options.accessKey ?? `o2ts${randomBytes(6).toString('hex')}`,
    secretKey: options.secretKey ?? randomBytes(24).toString('hex'),
  });
  let removed: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (removed ??= (async () => {
      server.retire();
      await server.halt();
      await dir.remove();
    })());
  try {
    await server.launch();
  } catch (error) {
    await stop();
    throw error;
  }
  const { accessKey, secretKey } = server.settings;
  return {
    endpoint: server.endpoint,
    port,
    accessKey,
    secretKey,
    region: 'us-east-1',
    dataDir: dir.path,
    stop,
    halt: () => server.halt(),
    start: () => server.launch(),
    restart: async (downMs = 0) => {
      await server.halt();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await server.launch();
    },
  };
}

interface MinioSettings {
  dataDir: string;
  port: number;
  consolePort: number;
  accessKey: string;
  secretKey: string;
}

/** One MinIO on fixed ports, credentials and data dir, which may be halted and launched again. */
class MinioProcess {
  readonly endpoint: string;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #retired = false;
  // A crashed test worker must not leave a MinIO behind; `exit` handlers may only do sync work.
  readonly #killOnExit = (): void => {
    this.#child?.kill('SIGKILL');
  };

  constructor(
    private readonly binary: string,
    readonly settings: MinioSettings,
  ) {
    this.endpoint = `http://127.0.0.1:${settings.port}`;
  }

  /** After this, `launch()` refuses: the data dir is about to be removed. */
  retire(): void {
    this.#retired = true;
  }

  async launch(): Promise<void> {
    if (this.#retired) throw new AppError('FAILED_PRECONDITION', 'minio was stopped for good');
    if (this.#running()) return;
    const { dataDir, port, consolePort, accessKey, secretKey } = this.settings;
    const output = new OutputTail();
    const child = spawn(
      this.binary,
      [
        'server',
        dataDir,
        '--address',
        `127.0.0.1:${port}`,
        '--console-address',
        `127.0.0.1:${consolePort}`,
      ],
      {
        env: {
          ...process.env,
          MINIO_ROOT_USER: accessKey,
          MINIO_ROOT_PASSWORD: secretKey,
          MINIO_BROWSER: 'off',
          MINIO_UPDATE: 'off',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    // Always drain both pipes: a full pipe buffer would block MinIO mid-write.
    child.stdout?.on('data', (chunk: Buffer) => output.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.append(chunk));
    // `exit` never fires when the binary could not be spawned at all; `error` does.
    this.#exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        output.append(`spawn failed: ${error.message}\n`);
        resolve();
      });
    });
    process.once('exit', this.#killOnExit);
    try {
      await waitUntilLive(this.endpoint, child, this.#exited, output);
    } catch (error) {
      await this.halt();
      throw error;
    }
  }

  async halt(): Promise<void> {
    process.removeListener('exit', this.#killOnExit);
    if (this.#child !== undefined) await terminate(this.#child, this.#exited);
  }

  #running(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }
}

async function waitUntilLive(
  endpoint: string,
  child: ChildProcess,
  exited: Promise<void>,
  output: OutputTail,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  for (;;) {
    if (hasExited || child.exitCode !== null || child.signalCode !== null) {
      const text = output.toString();
      const message = `minio exited before it was ready (code ${String(child.exitCode)}):\n${text}`;
      throw /already in use/i.test(text)
        ? new PortTakenError(message)
        : new AppError('UNAVAILABLE', message);
    }
    if (await isReady(endpoint)) return;
    if (Date.now() > deadline) {
      throw new AppError(
        'UNAVAILABLE',
        `minio at ${endpoint} was not ready after ${READY_TIMEOUT_MS} ms:\n${output.toString()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Ready for S3 calls: the health check says so, and a request that needs IAM is no longer
 * answered 503 — MinIO loads IAM after its object layer, so for a moment after `ready` it turns
 * every authenticated call away with "Server not initialized" (an anonymous ListBuckets is 403
 * from then on).
 */
async function isReady(endpoint: string): Promise<boolean> {
  try {
    for (const path of ['/minio/health/ready', '/']) {
      const response = await fetch(`${endpoint}${path}`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (path === '/' ? response.status === 503 : response.status !== 200) return false;
    }
    return true;
  } catch {
    return false;
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (gaveUp) {
    child.kill('SIGKILL');
    await exited;
  }
}
