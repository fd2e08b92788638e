import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/**
 * Enough of a program's output to explain a failure without holding a whole log in memory: the
 * start (configuration errors, the "ready" line) and the latest lines.
 */
const OUTPUT_HEAD_CHARS = 8_000;
const OUTPUT_TAIL_CHARS = 16_000;
const STOP_GRACE_MS = 5_000;
const POLL_MS = 100;

export interface ManagedProcessOptions {
  /** Shown in every error, e.g. `prometheus`. */
  name: string;
  binary: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * A third-party program a test runs (Prometheus, the collector): its output tail is kept for
 * failure messages, it is killed when the test worker exits, and `stop()` is SIGTERM, then
 * SIGKILL after a grace period.
 */
export class ManagedProcess {
  readonly name: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #head = '';
  #tail = '';
  #dropped = false;
  #stopping: Promise<void> | undefined;
  // A crashed test worker must not leave servers behind; `exit` handlers may only do sync work.
  readonly #killOnExit = (): void => {
    this.#child.kill('SIGKILL');
  };

  constructor(options: ManagedProcessOptions) {
    this.name = options.name;
    const child = spawn(options.binary, options.args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    // Always drain both pipes: a full pipe buffer would block the program mid-write.
    child.stdout?.on('data', (chunk: Buffer) => this.#append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#append(chunk));
    // `exit` never fires when the binary could not be spawned at all; `error` does.
    this.#exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        this.#append(`spawn failed: ${error.message}\n`);
        resolve();
      });
    });
    process.once('exit', this.#killOnExit);
  }

  /** stdout and stderr together: the first and the last few KB. */
  output(): string {
    const text = `${this.#head}${this.#dropped ? '\n[…]\n' : ''}${this.#tail}`.trim();
    return text === '' ? '(no output)' : text;
  }

  hasExited(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null;
  }

  /**
   * Polls `ready` until it answers true. Throws, with the program's output, when the program
   * exits first or `timeoutMs` passes; the caller should then `stop()`.
   */
  async waitUntil(
    what: string,
    ready: () => Promise<boolean> | boolean,
    timeoutMs: number,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    void this.#exited.then(() => {
      gone = true;
    });
    for (;;) {
      if (gone || this.hasExited()) {
        const code = this.#child.exitCode ?? this.#child.signalCode;
        throw new Error(
          `${this.name} exited (${String(code)}) before ${what}; output:\n${this.output()}`,
        );
      }
      if (await ready()) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name}: ${what} did not happen within ${timeoutMs} ms; output:\n${this.output()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** SIGTERM, SIGKILL after a grace period; resolves when the program is gone. Idempotent. */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#terminate());
  }

  async #terminate(): Promise<void> {
    process.removeListener('exit', this.#killOnExit);
    const child = this.#child;
    if (this.hasExited() || child.pid === undefined) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      this.#exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    if (gaveUp) {
      child.kill('SIGKILL');
      await this.#exited;
    }
  }

  #append(chunk: Buffer | string): void {
    let text = chunk.toString();
    if (this.#head.length < OUTPUT_HEAD_CHARS) {
      const room = OUTPUT_HEAD_CHARS - this.#head.length;
      this.#head += text.slice(0, room);
      text = text.slice(room);
    }
    const tail = this.#tail + text;
    if (tail.length > OUTPUT_TAIL_CHARS) this.#dropped = true;
    this.#tail = tail.slice(-OUTPUT_TAIL_CHARS);
  }
}
