import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttp } from './http-send.js';

const received: Array<{ method: string; body: string; headers: Record<string, unknown> }> = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    received.push({ method: req.method ?? '', body, headers: req.headers });
    res.statusCode = req.url === '/fail' ? 500 : req.url === '/redirect' ? 302 : 200;
    if (req.url === '/redirect') res.setHeader('location', 'http://169.254.169.254/');
    res.end(req.url === '/fail' ? 'boom' : 'ok');
  });
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const open = { allowLoopback: true, allowList: [] };
const closed = { allowLoopback: false, allowList: [] };
const send = (path: string, policy = open, host = '127.0.0.1') =>
  sendHttp({
    url: `http://${host}:${port}${path}`,
    method: 'post',
    headers: { 'x-token': 't' },
    body: '{"a":1}',
    skipTlsVerify: false,
    timeoutMs: 5_000,
    policy,
  });

describe('sendHttp', () => {
  it('posts the body with a JSON content type when allowed', async () => {
    expect(await send('/hook')).toEqual({ status: 200, body: 'ok' });
    expect(received.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(received.at(-1)?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-token': 't',
    });
  });

  it('refuses loopback by literal address and by name, before connecting', async () => {
    const before = received.length;
    await expect(send('/hook', closed)).rejects.toThrow('loopback address (127.0.0.1)');
    await expect(send('/hook', closed, 'localhost')).rejects.toThrow(/loopback address/);
    await expect(
      sendHttp({
        url: 'http://169.254.169.254/latest/meta-data',
        method: 'get',
        headers: {},
        body: '',
        skipTlsVerify: false,
        timeoutMs: 1_000,
        policy: open,
      }),
    ).rejects.toThrow('link-local address (169.254.169.254)');
    expect(received.length).toBe(before);
  });

  it('reports non-2xx answers and does not follow redirects', async () => {
    await expect(send('/fail')).rejects.toThrow('Destination answered 500: boom');
    await expect(send('/redirect')).rejects.toThrow('Destination answered 302');
  });
});
