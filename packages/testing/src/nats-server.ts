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
  /** The JetStream store directory; kept across `halt()`/`start()`, removed by `stop()`. */
  storeDir: string;
  /** Graceful stop (SIGTERM), then removes the JetStream store directory. */
  stop(): Promise<void>;
  /** SIGKILL, for failure tests; also removes the store directory. */
  kill(): Promise<void>;
  /**
   * Outage tests: stops the server (SIGTERM, or SIGKILL when `signal` says so) but keeps its
   * port and JetStream store, so `start()` brings the same server back.
   */
  halt(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a halted server again on the same port with the same store; resolves when healthy. */
  start(): Promise<void>;
  /** `halt()`, wait `downMs`, `start()`. */
  restart(downMs?: number): Promise<void>;
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
    const server = new NatsProcess(binary, storeDir, await freePort(), await freePort());
    try {
      await server.launch();
      return server.handle();
    } catch (error) {
      lastError = error;
      await server.remove();
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** One nats-server on fixed ports and store dir, which may be stopped and launched again. */
class NatsProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #log = '';
  #removing: Promise<void> | undefined;
  readonly #killOnExit = (): void => {
    this.#child?.kill('SIGKILL');
  };

  constructor(
    private readonly binary: string,
    private readonly storeDir: TempDir,
    private readonly port: number,
    private readonly monitorPort: number,
  ) {}

  async launch(): Promise<void> {
    if (this.#removing !== undefined) throw new Error('nats-server was stopped for good');
    if (this.#running()) return;
    const args = [
      '-js',
      '-a',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-m',
      String(this.monitorPort),
    ];
    args.push('-sd', this.storeDir.path);
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    const append = (chunk: Buffer): void => {
      this.#log = (this.#log + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.#exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // A test runner that dies must not leave servers behind.
    process.once('exit', this.#killOnExit);
    try {
      await this.#waitUntilHealthy(child);
    } catch (error) {
      await this.halt('SIGKILL');
      throw error;
    }
  }

  async halt(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    process.removeListener('exit', this.#killOnExit);
    const child = this.#child;
    if (child !== undefined && this.#running()) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.#exited;
      clearTimeout(timer);
    }
  }

  remove(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    return (this.#removing ??= (async () => {
      await this.halt(signal);
      await this.storeDir.remove();
    })());
  }

  handle(): NatsServerHandle {
    return {
      url: `nats://127.0.0.1:${this.port}`,
      port: this.port,
      storeDir: this.storeDir.path,
      stop: () => this.remove('SIGTERM'),
      kill: () => this.remove('SIGKILL'),
      halt: (signal) => this.halt(signal),
      start: () => this.launch(),
      restart: async (downMs = 0) => {
        await this.halt();
        await new Promise((resolve) => setTimeout(resolve, downMs));
        await this.launch();
      },
    };
  }

  #running(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async #waitUntilHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `nats-server exited (${child.exitCode ?? child.signalCode}) before it was ready; log:\n${this.#log}`,
        );
      }
      try {
        const response = await fetch(`http://127.0.0.1:${this.monitorPort}/healthz`, {
          signal: AbortSignal.timeout(2_000),
        });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`nats-server not healthy after ${READY_TIMEOUT_MS} ms; log:\n${this.#log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
