import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@o2/logger';
import { accessLog } from './access-log.js';

interface Started {
  url: string;
  lines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const running: Started[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
});

async function start(level: string): Promise<Started> {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n'))
        if (text !== '') lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  const app = express();
  app.use(accessLog(createLogger({ level, destination }), /\/healthz(\?|$)/));
  app.get('/ok', (_req, res) => void res.json({ ok: true }));
  app.get('/boom', (_req, res) => void res.status(500).json({ error: 'x' }));
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  const started = {
    url: `http://127.0.0.1:${port}`,
    lines,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  running.push(started);
  return started;
}

/** Lines are written once the response has finished: wait for them. */
async function linesAfter(s: Started, count: number): Promise<Array<Record<string, unknown>>> {
  for (let i = 0; i < 100 && s.lines.length < count; i++)
    await new Promise((r) => setTimeout(r, 10));
  return s.lines;
}

describe('access log', () => {
  it('writes one line per request with method, URL, status and time, never the credentials', async () => {
    const s = await start('info');
    const auth = `Basic ${Buffer.from('root@example.com:Secret#123').toString('base64')}`;
    await (await fetch(`${s.url}/ok?x=1`, { headers: { authorization: auth } })).text();
    await (await fetch(`${s.url}/boom`)).text();
    await (await fetch(`${s.url}/healthz`)).text();
    const lines = await linesAfter(s, 2);
    await new Promise((r) => setTimeout(r, 50)); // a probe's line would have arrived by now
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'request completed',
      req: { method: 'GET', url: '/ok?x=1' },
      res: { statusCode: 200 },
    });
    expect(lines[0]!['responseTime']).toBeGreaterThanOrEqual(0);
    expect(lines[1]).toMatchObject({
      level: 'error',
      res: { statusCode: 500 },
      req: { url: '/boom' },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('Secret#123');
    expect(text).not.toContain(auth.slice(6));
  });

  it('at warn, logs only the failed requests', async () => {
    const s = await start('warn');
    await (await fetch(`${s.url}/ok`)).text();
    await (await fetch(`${s.url}/boom`)).text();
    const lines = await linesAfter(s, 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.map((l) => (l['req'] as { url: string }).url)).toEqual(['/boom']);
  });
});
