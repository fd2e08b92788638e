import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, startMailpit } from '@o2/testing';
import type { MailpitHandle, TempDir } from '@o2/testing';
import { sendMail } from './smtp-send.js';
import type { SmtpConfig } from './smtp-send.js';

// A real Mailpit that offers STARTTLS with a self-signed certificate made here, and refuses mail
// from clients that did not upgrade, so a received message proves the TLS path was taken.
let mailpit: MailpitHandle;
let certDir: TempDir;
let certPem: string;
let smtp: SmtpConfig;

beforeAll(async () => {
  certDir = await makeTempDir('smtp-cert');
  const certFile = join(certDir.path, 'cert.pem');
  const keyFile = join(certDir.path, 'key.pem');
  // node:crypto makes keys but not certificates; openssl (Debian base) makes both.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=o2ts smtp test',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  certPem = readFileSync(certFile, 'utf8');
  mailpit = await startMailpit({ tls: { certFile, keyFile }, requireStartTls: true });
  smtp = {
    enabled: true,
    host: mailpit.smtpHost,
    port: mailpit.smtpPort,
    user: '',
    password: '',
    from: 'alerts@o2ts.test',
    replyTo: '',
    encryption: 'starttls',
    tlsCa: certPem,
  };
}, 60_000);
afterAll(async () => {
  await mailpit?.stop();
  await certDir?.remove();
});
beforeEach(async () => {
  await mailpit.deleteAll();
});

const mail = { to: ['oncall@x.test'], subject: 'over TLS', html: '<p>secret</p>' };

describe('sendMail with STARTTLS', () => {
  it('upgrades the connection and delivers when the relay certificate is trusted', async () => {
    await sendMail(smtp, mail, 5_000);
    const [summary, ...more] = await mailpit.waitForMessages(1);
    expect(more).toEqual([]);
    const message = await mailpit.message(summary!.ID);
    expect(message.From?.Address).toBe('alerts@o2ts.test');
    expect(message.To?.map((a) => a.Address)).toEqual(['oncall@x.test']);
    expect(message.Subject).toBe('over TLS');
    expect(message.HTML).toBe('<p>secret</p>\r\n');
    expect(message.ReplyTo ?? []).toEqual([]);
  });

  it('refuses a certificate it was not told to trust, and sends nothing', async () => {
    const { tlsCa: _trusted, ...untrusting } = smtp;
    await expect(sendMail(untrusting, mail, 5_000)).rejects.toThrow(
      /^SMTP: self[- ]signed certificate/,
    );
    expect(await mailpit.messages()).toEqual([]);
  });

  it('is refused by a relay that requires STARTTLS when sent in the clear', async () => {
    await expect(sendMail({ ...smtp, encryption: '' }, mail, 5_000)).rejects.toThrow(
      /^SMTP MAIL FROM refused: 530/,
    );
    expect(await mailpit.messages()).toEqual([]);
  });
});
