import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, startMailpit } from '@o2/testing';
import type { MailpitHandle } from '@o2/testing';
import { deliver } from './notify.js';
import { sendMail } from './smtp-send.js';
import type { SmtpConfig } from './smtp-send.js';

// A real SMTP server: Mailpit, read back through its HTTP API.
let mailpit: MailpitHandle;
let smtp: SmtpConfig;

beforeAll(async () => {
  mailpit = await startMailpit();
  smtp = {
    enabled: true,
    host: mailpit.smtpHost,
    port: mailpit.smtpPort,
    user: '',
    password: '',
    from: 'alerts@o2ts.test',
    replyTo: 'ops@o2ts.test',
    encryption: '',
  };
}, 60_000);
afterAll(async () => {
  await mailpit?.stop();
});
beforeEach(async () => {
  await mailpit.deleteAll();
});

const addresses = (list: { Address: string }[] | null) => (list ?? []).map((a) => a.Address);

describe('sendMail', () => {
  it('delivers one message with one-line subject, dot-stuffed body, to every recipient', async () => {
    await sendMail(
      smtp,
      {
        to: ['a@x.test', 'b@x.test'],
        subject: 'Disk full\r\nBcc: evil@x.test',
        html: '<p>hi</p>\n.\nend\n..twice',
      },
      5_000,
    );
    const [summary, ...more] = await mailpit.waitForMessages(1);
    expect(more).toEqual([]);
    const message = await mailpit.message(summary!.ID);
    expect(message.From?.Address).toBe('alerts@o2ts.test');
    expect(addresses(message.To)).toEqual(['a@x.test', 'b@x.test']);
    expect(addresses(message.ReplyTo)).toEqual(['ops@o2ts.test']);
    // The CRLF in the title stayed inside the subject: no Bcc header was injected.
    expect(message.Subject).toBe('Disk full Bcc: evil@x.test');
    expect(addresses(message.Bcc)).toEqual([]);
    const headers = await mailpit.headers(summary!.ID);
    expect(headers['Bcc']).toBeUndefined();
    expect(headers['Content-Type']).toEqual(['text/html; charset=utf-8']);
    // The server un-stuffed the dots: the lone "." line arrived as text, not as the end. The
    // last CRLF is the one that ends the body's last line before the "." terminator.
    expect(message.HTML).toBe('<p>hi</p>\r\n.\r\nend\r\n..twice\r\n');
  });

  it('sends an e-mail destination with its template rendered, and refuses when SMTP is off', async () => {
    const destination = {
      name: 'mail',
      type: 'email' as const,
      url: '',
      method: 'post' as const,
      skip_tls_verify: false,
      headers: {},
      template: 't',
      emails: ['oncall@x.test'],
      output_format: undefined,
      destination_type_name: undefined,
      metadata: {},
    };
    const template = {
      name: 't',
      type: 'email' as const,
      title: '{alert_name} fired',
      body: '<b>{alert_count}</b> rows',
      isDefault: false,
    };
    const policy = { allowLoopback: false, allowList: [] };
    const sent = await deliver(
      { destination, template, values: { alert_name: 'cpu_hot', alert_count: 7 } },
      { policy, smtp, timeoutMs: 5_000 },
    );
    expect(sent.status).toBe(250);
    const [summary] = await mailpit.waitForMessages(1);
    const message = await mailpit.message(summary!.ID);
    expect(message.Subject).toBe('cpu_hot fired');
    expect(addresses(message.To)).toEqual(['oncall@x.test']);
    expect(message.HTML).toBe('<b>7</b> rows\r\n');
    await expect(
      deliver(
        { destination, template, values: {} },
        { policy, smtp: { ...smtp, enabled: false }, timeoutMs: 1_000 },
      ),
    ).rejects.toThrow('SMTP is not enabled (ZO_SMTP_ENABLED)');
    expect(await mailpit.messages()).toHaveLength(1);
  });

  it('fails clearly when nothing listens at the relay', async () => {
    const closed = { ...smtp, port: await freePort() };
    await expect(
      sendMail(closed, { to: ['a@x.test'], subject: 's', html: 'b' }, 2_000),
    ).rejects.toThrow(/^SMTP: connect ECONNREFUSED/);
  });
});
