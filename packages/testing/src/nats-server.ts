import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ensureTool } from './ensure-tool.js';
import type { ToolSpec } from './ensure-tool.js';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';
import type { TempDir } from './temp-dir.js';

export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>`, ready for `connect({ servers: url })`. */
  url: string;
  port: number;
  /** Graceful stop (SIGTERM), then removes the JetStream store directory. */
  stop(): Promise<void>;
  /** SIGKILL, for failure tests; also removes the store directory. */
  kill(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LIMIT = 64 * 1024;
/** A port picked by freePort can be taken before the server binds it; try a few times. */
const START_ATTEMPTS = 3;

const NATS_SERVER: ToolSpec = {
  name: 'nats-server',
  candidates: ['/usr/sbin/nats-server', '/usr/bin/nats-server'],
  install: { kind: 'apt', packages: ['nats-server'] },
};

/**
 * Starts a real `nats-server -js` on random loopback ports with its own store directory and
 * resolves once its monitoring `/healthz` (which includes JetStream) answers OK. Never touches
 * a NATS already running on the machine (4222).
 */
export async function startNatsServer(): Promise<NatsServerHandle> {
  const binary = ensureTool(NATS_SERVER);
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const storeDir = await makeTempDir('nats');
    try {
      return await startOnce(binary, storeDir);
    } catch (error) {
      lastError = error;
      await storeDir.remove();
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function startOnce(binary: string, storeDir: TempDir): Promise<NatsServerHandle> {
  const port = await freePort();
  const monitorPort = await freePort();
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)];
  args.push('-sd', storeDir.path);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test runner that dies must not leave servers behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await storeDir.remove();
  };

  try {
    await waitUntilHealthy(child, monitorPort, () => log);
  } catch (error) {
    await shutdown('SIGKILL');
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop: () => (stopping ??= shutdown('SIGTERM')),
    kill: () => (stopping ??= shutdown('SIGKILL')),
  };
}

async function waitUntilHealthy(
  child: ChildProcess,
  monitorPort: number,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `nats-server exited (${child.exitCode ?? child.signalCode}) before it was ready; log:\n${log()}`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${monitorPort}/healthz`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`nats-server not healthy after ${READY_TIMEOUT_MS} ms; log:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
