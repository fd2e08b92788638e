import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import { TailHub } from '@o2/live-tail';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };

interface TailEvent {
  name: string;
  data: Record<string, unknown>;
}

/** An open `_tail` response read event by event (the SSE framing the router writes). */
async function openTail(url: string, path: string, auth: string) {
  const abort = new AbortController();
  const response = await fetch(`${url}${path}`, {
    headers: { authorization: auth },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let buffer = '';
  const queued: TailEvent[] = [];
  const next = async (): Promise<TailEvent> => {
    while (queued.length === 0) {
      const { value, done } = await reader.read();
      if (done) throw new Error('tail ended');
      buffer += value;
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const name = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
        queued.push({ name, data: JSON.parse(data) as Record<string, unknown> });
      }
    }
    return queued.shift() as TailEvent;
  };
  /** The next `rows` event's hits, skipping heartbeats. */
  const rows = async () => {
    for (;;) {
      const event = await next();
      if (event.name === 'rows') return event.data['hits'] as Array<Record<string, unknown>>;
      if (event.name !== 'heartbeat') throw new Error(`unexpected ${event.name}`);
    }
  };
  return { next, rows, close: () => abort.abort() };
}

describe('live tail (_tail) over a real in-process ingester', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  const ingest = async (stream: string, records: object[]) => {
    const res = await call(o2.url, `/api/default/${stream}/_json`, {
      auth: rootAuth(),
      json: records,
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startRouterWithIngester(dir.path));
    const created = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'user' },
    });
    expect(created.status).toBe(200);
  });
  let closed = false;
  afterAll(async () => {
    if (!closed) await o2.close();
    await dir.remove();
  });

  it('pushes the rows acknowledged after it subscribed, filtered, and nothing from before', async () => {
    await ingest('app', [{ log: 'before the tail', level: 'error' }]);
    const filter = encodeURIComponent("level = 'error' AND match_all('checkout')");
    const tail = await openTail(
      o2.url,
      `/api/default/app/_tail?type=logs&filter=${filter}`,
      rootAuth(),
    );
    expect((await tail.next()).name).toBe('ready');
    await ingest('other', [{ log: 'checkout in another stream', level: 'error' }]);
    await ingest('app', [
      { log: 'checkout failed', level: 'error', code: 500 },
      { log: 'checkout ok', level: 'info' },
      { log: 'cart failed', level: 'error' },
    ]);
    const hits = await tail.rows();
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ log: 'checkout failed', level: 'error', code: 500 });
    expect(typeof hits[0]?.['_timestamp']).toBe('number');
    tail.close();
  });

  it("reads the stream's own full-text fields for match_all", async () => {
    await ingest('audit', [{ note: 'created before the setting' }]);
    const put = await call(o2.url, '/api/default/streams/audit/settings?type=logs', {
      method: 'PUT',
      auth: rootAuth(),
      json: { full_text_search_keys: { add: ['note'] } },
    });
    expect(put.status).toBe(200);
    const filter = encodeURIComponent("match_all('REFUND')");
    const tail = await openTail(o2.url, `/api/default/audit/_tail?filter=${filter}`, rootAuth());
    expect((await tail.next()).name).toBe('ready');
    await ingest('audit', [{ note: 'other' }, { note: 'refund issued' }, { log: 'refund' }]);
    const hits = await tail.rows();
    expect(hits.map((h) => h['note'] ?? h['log'])).toEqual(['refund issued', 'refund']);
    tail.close();
  });

  it('addresses the stream by the name ingest stores it under', async () => {
    const tail = await openTail(o2.url, '/api/default/My-App/_tail', rootAuth());
    expect((await tail.next()).name).toBe('ready');
    await ingest('My-App', [{ log: 'hello' }]);
    expect((await tail.rows())[0]).toMatchObject({ log: 'hello' });
    tail.close();
  });

  it('lets an org member tail and ends the subscription when the client leaves', async () => {
    const tail = await openTail(
      o2.url,
      '/api/default/app/_tail',
      basic(MEMBER.email, MEMBER.password),
    );
    expect((await tail.next()).name).toBe('ready');
    tail.close();
    // The next ingest still answers at once: nothing waits on the departed reader.
    await ingest('app', [{ log: 'after the reader left' }]);
  });

  it.each([
    ["level = 'x'; DROP TABLE t", 'unexpected character'],
    ["read_parquet('/etc/passwd')", 'not supported'],
    ["level = 'open", 'unterminated quote'],
  ])('answers 400 in O2 shape for the filter %s', async (filter, reason) => {
    const res = await call(o2.url, `/api/default/app/_tail?filter=${encodeURIComponent(filter)}`, {
      auth: rootAuth(),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400 });
    expect((res.body as { message: string }).message).toContain(reason);
  });

  it('refuses bad names and types, strangers, other orgs and the ingestion passcode', async () => {
    const status = async (path: string, auth?: string) =>
      (await call(o2.url, path, auth === undefined ? {} : { auth })).status;
    expect(await status('/api/default/app/_tail?type=bogus', rootAuth())).toBe(400);
    expect(await status(`/api/default/${'x'.repeat(300)}/_tail`, rootAuth())).toBe(400);
    expect(await status('/api/default/app/_tail')).toBe(401);
    expect(await status('/api/default/app/_tail', basic('nobody@example.com', 'Wrong#pass1'))).toBe(
      401,
    );
    expect(await status('/api/other_org/app/_tail', basic(MEMBER.email, MEMBER.password))).toBe(
      403,
    );
    const passcode = await call(o2.url, '/api/default/passcode', { auth: rootAuth() });
    const code = (passcode.body as { data: { passcode: string } }).data.passcode;
    expect(await status('/api/default/app/_tail', basic('root@example.com', code))).toBe(401);
  });

  it('ends open tails when the server closes, so shutdown does not wait for them', async () => {
    const tail = await openTail(o2.url, '/api/default/app/_tail', rootAuth());
    expect((await tail.next()).name).toBe('ready');
    const started = Date.now();
    closed = true;
    await o2.close();
    // A shutdown that waited for open tails would only notice them at the next heartbeat (10 s)
    // or never; the bound leaves room for the ingester's flush on a loaded 2-core box (5.5 s
    // seen under a load average of 11).
    expect(Date.now() - started).toBeLessThan(9_000);
    await expect(tail.next()).rejects.toThrow('tail ended');
  });
});

describe('live tail refusals before the stream starts', () => {
  it('answers 429 in O2 shape with Retry-After when the source has no room for a session', async () => {
    const dir = await makeDbDir();
    const hub = new TailHub({ maxSubscribers: 1 });
    const o2 = await startRouter(dir.path, { deps: { tail: hub } });
    try {
      const first = await openTail(o2.url, '/api/default/app/_tail', rootAuth());
      expect((await first.next()).name).toBe('ready');
      const refused = await call(o2.url, '/api/default/app/_tail', { auth: rootAuth() });
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '5']);
      expect(refused.body).toMatchObject({ code: 429 });
      first.close();
    } finally {
      await o2.close();
      await dir.remove();
    }
  });
});
