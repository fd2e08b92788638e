import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { basic, call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

interface SseEvent {
  event: string;
  data: unknown;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return { event, data: data.startsWith('[[') ? data : (JSON.parse(data) as unknown) };
    });
}

describe('POST /{org}/_values_stream', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const base = (Math.floor(Date.now() / 1000) - 600) * 1_000_000;
  const pods = Array.from(
    { length: 30 },
    (_, i) => `pod-${i % 4 === 0 ? 'a' : i % 2 === 0 ? 'b' : 'c'}`,
  );
  const body = (extra: Record<string, unknown> = {}) => ({
    fields: ['pod'],
    size: 10,
    no_count: false,
    start_time: base,
    end_time: base + 60_000_000,
    sql: Buffer.from('SELECT * FROM "app"').toString('base64url'),
    stream_name: 'app',
    stream_type: 'logs',
    ...extra,
  });
  const post = (json: unknown, path = '_values_stream', auth = rootAuth()) =>
    call(o2.url, `/api/default/${path}`, { auth, json });

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startMetricsNode(dir.path));
    const ingested = await call(o2.url, '/api/default/app/_json', {
      auth: rootAuth(),
      body: jsonBody(pods.map((pod, i) => ({ _timestamp: base + i * 1_000_000, pod, n: i }))),
      headers: { 'content-type': 'application/json' },
    });
    expect(ingested.status).toBe(200);
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const counts = (keep: (pod: string, i: number) => boolean = () => true) => {
    const map = new Map<string, number>();
    pods.forEach((p, i) => keep(p, i) && map.set(p, (map.get(p) ?? 0) + 1));
    return [...map]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([zo_sql_key, zo_sql_num]) => ({ zo_sql_key, zo_sql_num }));
  };

  it("streams the first field's top values in O2's SSE frames", async () => {
    const res = await post(body({ fields: ['pod', 'n'] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(res.text);
    expect(events.map((e) => e.event)).toEqual([
      'search_response_metadata',
      'search_response_hits',
      'message',
    ]);
    expect(events[0]!.data).toMatchObject({
      results: { hits: [], total: 1, size: 10 },
      time_offset: { start_time: base, end_time: base + 60_000_000 },
    });
    expect(events[1]!.data).toEqual({ hits: [{ field: 'pod', values: counts() }] });
    expect(events[2]!.data).toBe('[[DONE]]');
  });

  it('applies the keyword, the filter and the WHERE of the base64 sql', async () => {
    const sql = Buffer.from('SELECT * FROM "app" WHERE n >= 10').toString('base64url');
    const res = await post(body({ sql, filter: 'pod=pod-b,pod-c' }), '_values_stream?keyword=C');
    const hits = parseSse(res.text)[1]!.data as { hits: Array<{ values: unknown }> };
    expect(hits.hits[0]!.values).toEqual(counts((p, i) => i >= 10 && p === 'pod-c'));
  });

  it.each([
    [{ fields: [] }, 'fields'],
    [{ fields: 'pod' }, 'fields'],
    [{ stream_name: undefined }, 'stream_name'],
    [{ stream_name: '../etc' }, 'stream'],
    [{ start_time: 0 }, 'start_time'],
    [{ end_time: base - 1 }, 'end_time'],
    [{ stream_type: 'nope' }, 'stream type'],
    [{ vrl_fn: 'LmE9MQ' }, 'VRL'],
    [{ size: -1 }, 'size'],
  ])('answers 400 for %j', async (extra, word) => {
    const res = await post(body(extra));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400 });
    expect(JSON.stringify(res.body)).toContain(word);
  });

  it('refuses a wrong content type, a missing login and another org', async () => {
    const text = await call(o2.url, '/api/default/_values_stream', {
      auth: rootAuth(),
      body: JSON.stringify(body()),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    const anonymous = await call(o2.url, '/api/default/_values_stream', { json: body() });
    expect(anonymous.status).toBe(401);
    const wrong = await post(body(), '_values_stream', basic('nobody@example.com', 'x'));
    expect(wrong.status).toBe(401);
  });
});
