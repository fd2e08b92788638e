import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForPort } from '@o2/testing';
import { deliver } from './notify.js';
import { sendMail } from './smtp-send.js';
import type { SmtpConfig } from './smtp-send.js';

// A real SMTP server: Python's standard-library smtpd (3.11) printing every message it gets.
let server: ChildProcess;
let output = '';
let smtp: SmtpConfig;

beforeAll(async () => {
  const port = await freePort();
  server = spawn(
    'python3',
    ['-W', 'ignore', '-m', 'smtpd', '-n', '-c', 'DebuggingServer', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await waitForPort(port, 10_000);
  smtp = {
    enabled: true,
    host: '127.0.0.1',
    port,
    user: '',
    password: '',
    from: 'alerts@o2ts.test',
    replyTo: 'ops@o2ts.test',
    encryption: '',
  };
});
afterAll(() => {
  server?.kill();
});

const until = async (accept: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!accept() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
};

describe('sendMail', () => {
  it('delivers one message with one-line subject, dot-stuffed body, to every recipient', async () => {
    await sendMail(
      smtp,
      {
        to: ['a@x.test', 'b@x.test'],
        subject: 'Disk full\r\nBcc: evil@x.test',
        html: '<p>hi</p>\n.\nend',
      },
      5_000,
    );
    await until(() => output.includes('end'));
    expect(output).toContain('Subject: Disk full Bcc: evil@x.test');
    expect(output).not.toContain("b'Bcc:");
    expect(output).toContain('To: a@x.test, b@x.test');
    expect(output).toContain('Reply-To: ops@o2ts.test');
    // The server un-stuffs the dot: the lone "." line arrived as text, not as the end.
    expect(output).toContain("b'<p>hi</p>'\nb'.'\nb'end'");
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
    await until(() => output.includes('cpu_hot fired'));
    expect(output).toContain('Subject: cpu_hot fired');
    expect(output).toContain('<b>7</b> rows');
    await expect(
      deliver(
        { destination, template, values: {} },
        { policy, smtp: { ...smtp, enabled: false }, timeoutMs: 1_000 },
      ),
    ).rejects.toThrow('SMTP is not enabled (ZO_SMTP_ENABLED)');
  });
});
