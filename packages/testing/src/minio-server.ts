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
   * Stops the server process (an outage) but keeps `dataDir`, the port and the credentials;
   * `restart` brings the same server back. Safe to call twice.
   */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port over the same data; resolves once live. */
  restart(): Promise<void>;
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

/**
 * Starts a real MinIO server on a random loopback port with random root credentials and resolves
 * once `/minio/health/live` answers 200. Start in `beforeAll`, stop in `afterAll`.
 */
export async function startMinioServer(): Promise<MinioServerHandle> {
  const binary = ensureTool({
    name: 'minio',
    install: { kind: 'go', module: 'github.com/minio/minio@latest' },
  });
  let lastError: unknown;
  // freePort() only says a port *was* free; another process may take it before MinIO binds, so
  // a bind failure is retried on fresh ports instead of failing the whole test file.
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      return await startOnce(binary);
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

interface MinioProcess {
  child: ChildProcess;
  exited: Promise<void>;
  output: OutputTail;
}

interface MinioSetup {
  binary: string;
  dataDir: string;
  port: number;
  consolePort: number;
  accessKey: string;
  secretKey: string;
}

function spawnMinio(setup: MinioSetup): MinioProcess {
  const output = new OutputTail();
  const child = spawn(
    setup.binary,
    [
      'server',
      setup.dataDir,
      '--address',
      `127.0.0.1:${setup.port}`,
      '--console-address',
      `127.0.0.1:${setup.consolePort}`,
    ],
    {
      env: {
        ...process.env,
        MINIO_ROOT_USER: setup.accessKey,
        MINIO_ROOT_PASSWORD: setup.secretKey,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Always drain both pipes: a full pipe buffer would block MinIO mid-write.
  child.stdout?.on('data', (chunk: Buffer) => output.append(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.append(chunk));
  // `exit` never fires when the binary could not be spawned at all; `error` does.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      output.append(`spawn failed: ${error.message}\n`);
      resolve();
    });
  });
  return { child, exited, output };
}

async function startOnce(binary: string): Promise<MinioServerHandle> {
  const dir = await makeTempDir('minio');
  const port = await freePort();
  let consolePort = await freePort();
  while (consolePort === port) consolePort = await freePort();
  const setup: MinioSetup = {
    binary,
    dataDir: dir.path,
    port,
    consolePort,
    accessKey: `o2ts${randomBytes(6).toString('hex')}`,
    secretKey: randomBytes(24).toString('hex'),
  };
  let current: MinioProcess | undefined = spawnMinio(setup);
  // A crashed test worker must not leave a MinIO behind; `exit` handlers may only do sync work.
  const killOnExit = (): void => {
    current?.child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const halt = async (): Promise<void> => {
    const running = current;
    current = undefined;
    if (running !== undefined) await terminate(running.child, running.exited);
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    await halt();
    await dir.remove();
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const restart = async (): Promise<void> => {
    if (stopped) throw new AppError('FAILED_PRECONDITION', 'minio was stopped for good');
    if (current !== undefined) return;
    const started = spawnMinio(setup);
    current = started;
    try {
      await waitUntilLive(endpoint, started.child, started.exited, started.output);
    } catch (error) {
      await halt();
      throw error;
    }
  };
  try {
    await waitUntilLive(endpoint, current.child, current.exited, current.output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    port,
    accessKey: setup.accessKey,
    secretKey: setup.secretKey,
    region: 'us-east-1',
    dataDir: dir.path,
    stop,
    halt,
    restart,
  };
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
    if (await isLive(endpoint)) return;
    if (Date.now() > deadline) {
      throw new AppError(
        'UNAVAILABLE',
        `minio at ${endpoint} was not live after ${READY_TIMEOUT_MS} ms:\n${output.toString()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function isLive(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/minio/health/live`, {
      signal: AbortSignal.timeout(2_000),
    });
    await response.body?.cancel();
    return response.status === 200;
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
