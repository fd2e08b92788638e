import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { CallResult, StartedRouter } from '../test-support/start-router.js';

/**
 * Hostile input on the new management routes: a malformed or oversized body and odd path
 * parameters (`../`, an encoded `/`, very long, unicode, NUL, broken percent-encoding) answer a
 * 4xx in O2's `{"code","message"}` shape (or are handled as plain names), never a 5xx.
 */
const PAYLOAD_LIMIT = 64 * 1024;

const JSON_ROUTES: [string, string][] = [
  ['POST', '/api/default/ingestion-tokens'],
  ['PATCH', '/api/default/ingestion-tokens/default'],
  ['POST', '/api/default/service_accounts'],
  ['PUT', '/api/default/service_accounts/sa@example.com'],
  ['DELETE', '/api/default/service_accounts/bulk'],
  ['POST', '/api/default/short'],
  ['DELETE', '/api/default/users/bulk'],
  ['POST', '/api/v2/default/alerts'],
  ['DELETE', '/api/v2/default/alerts/bulk'],
  ['POST', '/api/default/alerts/destinations'],
  ['POST', '/api/default/alerts/destinations/test'],
  ['POST', '/api/default/alerts/templates'],
  ['POST', '/api/default/alerts/templates/preview'],
  ['POST', '/api/default/functions'],
  ['PUT', '/api/default/functions/f'],
  ['DELETE', '/api/default/functions/bulk'],
  ['POST', '/api/default/functions/test'],
];

/** Routes with one free path parameter, written as `{p}`. */
const PARAM_ROUTES: [string, string][] = [
  ['PATCH', '/api/default/ingestion-tokens/{p}'],
  ['PUT', '/api/default/ingestion-tokens/{p}/rotate'],
  ['DELETE', '/api/default/ingestion-tokens/{p}'],
  ['GET', '/api/default/service_accounts/{p}'],
  ['PUT', '/api/default/service_accounts/{p}'],
  ['DELETE', '/api/default/service_accounts/{p}'],
  ['GET', '/api/default/kv/{p}'],
  ['POST', '/api/default/kv/{p}'],
  ['DELETE', '/api/default/kv/{p}'],
  ['GET', '/api/default/short/{p}'],
  ['DELETE', '/api/default/streams/{p}/data_by_time_range?start=1&end=2'],
  ['GET', '/api/default/streams/s/data_by_time_range/status/{p}'],
  ['GET', '/api/v2/default/alerts/{p}'],
  ['PUT', '/api/v2/default/alerts/{p}'],
  ['DELETE', '/api/v2/default/alerts/{p}'],
  ['GET', '/api/default/alerts/destinations/{p}'],
  ['PUT', '/api/default/alerts/destinations/{p}'],
  ['DELETE', '/api/default/alerts/destinations/{p}'],
  ['GET', '/api/default/alerts/templates/{p}'],
  ['PUT', '/api/default/alerts/templates/{p}'],
  ['DELETE', '/api/default/alerts/templates/{p}'],
  ['DELETE', '/api/default/users/{p}'],
  ['GET', '/api/default/functions/{p}'],
  ['PUT', '/api/default/functions/{p}'],
  ['DELETE', '/api/default/functions/{p}'],
];

const ODD_PARAMS = [
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  'a%2Fb',
  'x'.repeat(5000),
  encodeURIComponent('名前😀'),
  'a%00b',
  '%E0%A4%A',
  '%25',
];

function expectO2Error(res: CallResult): void {
  expect(res.status, res.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
}

describe('new management routes: hostile input', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, { env: { ZO_PAYLOAD_LIMIT: String(PAYLOAD_LIMIT) } });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const bodies: [string, string][] = [
    ['broken JSON', '{"name": '],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null'],
    ['a JSON string', '"x"'],
    ['wrong field types', '{"name":1,"email":[],"ids":"all","original_url":{},"enabled":"no"}'],
    ['deep nesting', '['.repeat(5000) + ']'.repeat(5000)],
    ['an oversized body', JSON.stringify({ name: 'x'.repeat(PAYLOAD_LIMIT * 2) })],
  ];

  it.each(JSON_ROUTES)('%s %s: a malformed or oversized body is a 4xx', async (method, path) => {
    for (const [what, body] of bodies) {
      const res = await call(o2.url, path, {
        method,
        auth: rootAuth(),
        body,
        headers: { 'content-type': 'application/json' },
      });
      expectO2Error(res);
      expect(res.body, `${what}: ${res.text.slice(0, 200)}`).toMatchObject({
        code: res.status,
        message: expect.any(String) as string,
      });
    }
  });

  it.each(PARAM_ROUTES)('%s %s: odd path parameters never give a 5xx', async (method, route) => {
    for (const param of ODD_PARAMS) {
      const res = await call(o2.url, route.replace('{p}', param), {
        method,
        auth: rootAuth(),
        ...(method === 'PUT' ? { json: {} } : {}),
      });
      expect(res.status, `${param.slice(0, 40)}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
    }
  });

  it('a KV value over its limit is a 413, and KV keys never reach internal keys', async () => {
    const big = await call(o2.url, '/api/default/kv/big', {
      auth: rootAuth(),
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    await o2.store.kv.put('default', 'rumtoken/root@example.com', 'rum-secret');
    for (const key of ['..%2Frumtoken%2Froot%40example.com', '%2E%2E%2Frumtoken']) {
      const res = await call(o2.url, `/api/default/kv/${key}`, { auth: rootAuth() });
      expect(res.text).not.toContain('rum-secret');
    }
    const listed = await call(o2.url, '/api/default/kv?prefix=..%2F', { auth: rootAuth() });
    expect(listed.text).not.toContain('rumtoken');
    const wild = await call(o2.url, '/api/default/kv?prefix=%25', { auth: rootAuth() });
    expect(wild.text).not.toContain('rumtoken');
  });
  it('refuses destination URLs that spell an internal address another way', async () => {
    // A real listener on every local address: no spelling may reach it.
    let hits = 0;
    const inside = createServer((_req, res) => {
      hits += 1;
      res.end('reached');
    });
    await new Promise<void>((resolve) => inside.listen(0, '::', resolve));
    const port = String((inside.address() as AddressInfo).port);
    try {
      for (const host of [
        '[::ffff:127.0.0.1]',
        '[::ffff:7f00:1]',
        '0x7f000001',
        '2130706433',
        '127.1',
        '0.0.0.0',
        '[::]',
        '[::127.0.0.1]',
        '[64:ff9b::7f00:1]',
        '[2002:7f00:1::1]',
        'localhost.',
      ]) {
        const url = `http://${host}:${port}/`;
        const res = await call(o2.url, '/api/default/alerts/destinations/test', {
          auth: rootAuth(),
          json: { name: 'inside', url, method: 'post', template: 'system-prebuilt-webhook' },
        });
        expect([url, res.status]).toEqual([url, 400]);
        // Refused by the guard before any connection, not by a failed attempt.
        if (host !== 'localhost.')
          expect((res.body as { message: string }).message, url).toMatch(/^Destination .*address/);
      }
      expect(hits).toBe(0);
    } finally {
      await new Promise((resolve) => inside.close(resolve));
    }
  });
});
