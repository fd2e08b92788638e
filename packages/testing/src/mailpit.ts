import { join } from 'node:path';
import { freePort, retryOnPortClash, waitForPort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { makeTempDir } from './temp-dir.js';
import { mailpitBinary } from './test-tools.js';

/** An address as Mailpit's API reports it (`Name` is '' when the header had none). */
export interface MailpitAddress {
  Name: string;
  Address: string;
}

/** One entry of `GET /api/v1/messages` (newest first). */
export interface MailpitSummary {
  ID: string;
  From: MailpitAddress | null;
  To: MailpitAddress[] | null;
  Subject: string;
  Snippet: string;
}

/** `GET /api/v1/message/{ID}`: the parsed message as Mailpit received it. */
export interface MailpitMessage extends MailpitSummary {
  Cc: MailpitAddress[] | null;
  Bcc: MailpitAddress[] | null;
  ReplyTo: MailpitAddress[] | null;
  Text: string;
  HTML: string;
}

export interface MailpitHandle {
  /** Loopback address and port of the SMTP listener. */
  smtpHost: '127.0.0.1';
  smtpPort: number;
  /** `http://127.0.0.1:<port>` of the web API. */
  apiUrl: string;
  /** Every received message, newest first. */
  messages(): Promise<MailpitSummary[]>;
  /** One received message, parsed (addresses, subject, text and HTML bodies). */
  message(id: string): Promise<MailpitMessage>;
  /** One received message's headers as sent, each name with all its values. */
  headers(id: string): Promise<Record<string, string[]>>;
  /** Polls until at least `count` messages have arrived; throws with Mailpit's log if not. */
  waitForMessages(count: number, timeoutMs?: number): Promise<MailpitSummary[]>;
  /** Deletes every received message (test isolation within one server). */
  deleteAll(): Promise<void>;
  /** Mailpit's log so far, for failure messages. */
  output(): string;
  /** SIGTERM, SIGKILL after 5 s, then removes the temp dir. */
  stop(): Promise<void>;
}

export interface MailpitOptions {
  /**
   * A PEM certificate and key for STARTTLS (`--smtp-tls-cert/--smtp-tls-key`). Without them the
   * server offers no STARTTLS at all.
   */
  tls?: { certFile: string; keyFile: string };
  /** Refuse mail from clients that did not STARTTLS first (`--smtp-require-starttls`). */
  requireStartTls?: boolean;
  /** Milliseconds to wait for readiness (default 20 s). */
  readyTimeoutMs?: number;
}

/**
 * Starts a real Mailpit (the pinned release, built by scripts/ensure-test-deps.sh) with SMTP and
 * its HTTP API on two random loopback ports and its database in a temp dir, and resolves once
 * `/readyz` answers 200 and the SMTP port accepts connections. Start in `beforeAll`, stop in
 * `afterAll`.
 */
export async function startMailpit(options: MailpitOptions = {}): Promise<MailpitHandle> {
  const binary = mailpitBinary();
  return retryOnPortClash(() => startOnce(binary, options));
}

async function startOnce(binary: string, options: MailpitOptions): Promise<MailpitHandle> {
  const dir = await makeTempDir('mailpit');
  const smtpPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === smtpPort) httpPort = await freePort();
  const apiUrl = `http://127.0.0.1:${httpPort}`;
  const args = [
    '--smtp',
    `127.0.0.1:${smtpPort}`,
    '--listen',
    `127.0.0.1:${httpPort}`,
    '--database',
    join(dir.path, 'mailpit.db'),
    '--disable-version-check',
    '--smtp-disable-rdns',
  ];
  if (options.tls !== undefined)
    args.push('--smtp-tls-cert', options.tls.certFile, '--smtp-tls-key', options.tls.keyFile);
  if (options.requireStartTls === true) args.push('--smtp-require-starttls');
  // Mailpit also reads MP_* variables; only ours count here.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MP_')),
  );
  const server = new ManagedProcess({ name: 'mailpit', binary, args, env, cwd: dir.path });
  const stop = async (): Promise<void> => {
    await server.stop();
    await dir.remove();
  };
  const timeoutMs = options.readyTimeoutMs ?? 20_000;
  try {
    await server.waitUntil('/readyz answered 200', () => isReady(apiUrl), timeoutMs);
    await waitForPort(smtpPort, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${apiUrl}${path}`, {
      ...init,
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`mailpit ${path}: HTTP ${response.status}: ${text}`);
    return (text === '' || text === 'ok' ? undefined : JSON.parse(text)) as T;
  };
  const messages = async () =>
    (await api<{ messages: MailpitSummary[] }>('/api/v1/messages')).messages;
  return {
    smtpHost: '127.0.0.1',
    smtpPort,
    apiUrl,
    messages,
    message: (id) => api<MailpitMessage>(`/api/v1/message/${encodeURIComponent(id)}`),
    headers: (id) =>
      api<Record<string, string[]>>(`/api/v1/message/${encodeURIComponent(id)}/headers`),
    waitForMessages: async (count, waitMs = 10_000) => {
      let received: MailpitSummary[] = [];
      await server.waitUntil(
        `${count} message(s) arrived`,
        async () => (received = await messages()).length >= count,
        waitMs,
      );
      return received;
    },
    deleteAll: () => api<undefined>('/api/v1/messages', { method: 'DELETE' }),
    output: () => server.output(),
    stop,
  };
}

async function isReady(apiUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
