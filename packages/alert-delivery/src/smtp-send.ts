import { isIP, connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { AppError } from '@o2/errors';

/** The SMTP relay settings (`ZO_SMTP_*`). */
export interface SmtpConfig {
  enabled: boolean;
  host: string;
  port: number;
  user: string;
  password: string;
  from: string;
  replyTo: string;
  encryption: '' | 'starttls' | 'ssltls';
  /**
   * PEM certificate(s) trusted for this relay besides the system's CAs, e.g. a private CA's or a
   * relay's self-signed certificate. Verification itself is never switched off.
   */
  tlsCa?: string;
}

/** TLS options for the relay: its name checked against the certificate, extra CAs trusted. */
function tlsOptions(smtp: SmtpConfig): ConnectionOptions {
  return {
    host: smtp.host,
    // SNI carries host names only (RFC 6066); an IP is still checked against the certificate.
    ...(isIP(smtp.host) === 0 ? { servername: smtp.host } : {}),
    ...(smtp.tlsCa === undefined ? {} : { ca: [...rootCertificates, smtp.tlsCa] }),
  };
}

export function smtpConfig(config: {
  ZO_SMTP_ENABLED: boolean;
  ZO_SMTP_HOST: string;
  ZO_SMTP_PORT: number;
  ZO_SMTP_USER_NAME: string;
  ZO_SMTP_PASSWORD: string;
  ZO_SMTP_FROM_EMAIL: string;
  ZO_SMTP_REPLY_TO: string;
  ZO_SMTP_ENCRYPTION: '' | 'starttls' | 'ssltls';
}): SmtpConfig {
  return {
    enabled: config.ZO_SMTP_ENABLED,
    host: config.ZO_SMTP_HOST,
    port: config.ZO_SMTP_PORT,
    user: config.ZO_SMTP_USER_NAME,
    password: config.ZO_SMTP_PASSWORD,
    from: config.ZO_SMTP_FROM_EMAIL,
    replyTo: config.ZO_SMTP_REPLY_TO,
    encryption: config.ZO_SMTP_ENCRYPTION,
  };
}

export interface Mail {
  to: readonly string[];
  subject: string;
  /** HTML body. */
  html: string;
}

/** Reads SMTP replies (multi-line ones end at `NNN ` without a dash) from a socket. */
class Replies {
  private buffer = '';
  private waiting: ((reply: { code: number; text: string }) => void) | undefined;
  private lines: string[] = [];
  constructor(private socket: Socket) {
    this.attach(socket);
  }
  attach(socket: Socket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let at: number;
      while ((at = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + 2);
        this.lines.push(line);
        if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
          const text = this.lines.join('\n');
          this.lines = [];
          const done = this.waiting;
          this.waiting = undefined;
          done?.({ code: Number(line.slice(0, 3)), text });
        }
      }
    });
  }
  next(expect: number[], what: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AppError('DEADLINE_EXCEEDED', `SMTP ${what}: no answer`)),
        timeoutMs,
      );
      this.waiting = ({ code, text }) => {
        clearTimeout(timer);
        if (expect.includes(code)) resolve(text);
        else reject(new AppError('UNAVAILABLE', `SMTP ${what} refused: ${text}`));
      };
    });
  }
  write(line: string): void {
    this.socket.write(`${line}\r\n`);
  }
}

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');

/**
 * Sends one e-mail through the configured relay: EHLO, STARTTLS when asked (or TLS from the
 * first byte), AUTH PLAIN when a user is set, then one message to every recipient. Addresses were
 * checked when the destination was saved; the subject is kept to one line so no header can be
 * injected.
 */
export async function sendMail(smtp: SmtpConfig, mail: Mail, timeoutMs: number): Promise<void> {
  if (!smtp.enabled)
    throw new AppError('FAILED_PRECONDITION', 'SMTP is not enabled (ZO_SMTP_ENABLED)');
  if (smtp.from === '') throw new AppError('FAILED_PRECONDITION', 'ZO_SMTP_FROM_EMAIL is not set');
  let socket: Socket =
    smtp.encryption === 'ssltls'
      ? tlsConnect({ ...tlsOptions(smtp), port: smtp.port })
      : netConnect({ host: smtp.host, port: smtp.port });
  // Every socket's errors (the TLS one's too: an untrusted certificate) fail the send; an
  // 'error' without a listener would crash the process.
  let fail: (error: AppError) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const watch = (s: Socket) =>
    s.on('error', (error) => fail(new AppError('UNAVAILABLE', `SMTP: ${error.message}`)));
  watch(socket);
  const replies = new Replies(socket);
  const step = (line: string | undefined, expect: number[], what: string) => {
    if (line !== undefined) replies.write(line);
    return Promise.race([replies.next(expect, what, timeoutMs), failed]);
  };
  try {
    await step(undefined, [220], 'greeting');
    await step('EHLO o2ts', [250], 'EHLO');
    if (smtp.encryption === 'starttls') {
      await step('STARTTLS', [220], 'STARTTLS');
      socket = watch(tlsConnect({ ...tlsOptions(smtp), socket }));
      replies.attach(socket);
      await step('EHLO o2ts', [250], 'EHLO');
    }
    if (smtp.user !== '') {
      const token = Buffer.from(`\u0000${smtp.user}\u0000${smtp.password}`).toString('base64');
      await step(`AUTH PLAIN ${token}`, [235], 'AUTH');
    }
    await step(`MAIL FROM:<${smtp.from}>`, [250], 'MAIL FROM');
    for (const to of mail.to) await step(`RCPT TO:<${to}>`, [250, 251], 'RCPT TO');
    await step('DATA', [354], 'DATA');
    const headers = [
      `From: ${smtp.from}`,
      `To: ${mail.to.join(', ')}`,
      ...(smtp.replyTo === '' ? [] : [`Reply-To: ${smtp.replyTo}`]),
      `Subject: ${oneLine(mail.subject)}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
    ];
    // Dot-stuffing: a line starting with "." gets another, so the body cannot end the message.
    const body = mail.html.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    await step(`${headers.join('\r\n')}\r\n\r\n${body}\r\n.`, [250], 'message');
    replies.write('QUIT');
  } finally {
    socket.end();
  }
}
