import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { RecordingSearch, searchFailure } from '../test-support/recording-search.js';
import type { Row } from '../test-support/recording-search.js';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { HITS_CHUNK_BYTES } from './search-stream.js';

const T0 = 1_764_300_000_000_000; // µs

interface SseEvent {
  event: string | undefined;
  data: string;
}

/**
 * Parses an event stream strictly: every event ends with a blank line, and every line is
 * `event: …` or `data: …` (O2 sends one data line per event).
 */
function parseSse(text: string): SseEvent[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n');
      const eventLine = lines[0]?.startsWith('event: ') ? lines.shift() : undefined;
      expect(lines).toHaveLength(1);
      expect(lines[0]?.startsWith('data: ')).toBe(true);
      return { event: eventLine?.slice('event: '.length), data: (lines[0] ?? '').slice(6) };
    });
}

describe('_search_stream', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const search = new RecordingSearch();

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, { deps: { search } });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });
  beforeEach(() => {
    search.calls.length = 0;
    search.failWith = undefined;
  });

  const stream = (query: Record<string, unknown> = {}) =>
    call(o2.url, '/api/default/_search_stream?type=logs', {
      auth: rootAuth(),
      json: {
        query: {
          sql: 'SELECT * FROM "default"',
          start_time: T0,
          end_time: T0 + 10_000,
          ...query,
        },
      },
    });

  it('sends metadata without hits, the hits, then [[DONE]], framed as O2 frames them', async () => {
    search.rows = [
      { _timestamp: T0 + 1, log: 'multi\nline "quoted"' },
      { _timestamp: T0 + 2, log: 'b' },
    ];
    const res = await stream({ size: 10 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(search.last).toMatchObject({
      method: 'search',
      query: { startTime: T0, endTime: T0 + 10_000, size: 10 },
    });
    const answer = await search.search('default', 'logs', {
      sql: 'x',
      startTime: T0,
      endTime: T0 + 10_000,
      size: 10,
    });
    const hits = answer['hits'];
    expect(res.text).toBe(
      `event: search_response_metadata\ndata: ${JSON.stringify({
        results: { ...answer, hits: [] },
        streaming_aggs: false,
        time_offset: { start_time: T0, end_time: T0 + 10_000 },
      })}\n\n` +
        `event: search_response_hits\ndata: ${JSON.stringify({ hits })}\n\n` +
        'data: [[DONE]]\n\n',
    );
    const events = parseSse(res.text);
    const metadata = JSON.parse(events[0]?.data ?? '') as { results: Record<string, unknown> };
    // The results keep the querier's key order, hits emptied in place.
    expect(Object.keys(metadata.results)).toEqual(Object.keys(answer));
  });

  it('splits large hits into events of about 1 MB, whole hits each, in order', async () => {
    const filler = 'x'.repeat(1000);
    search.rows = Array.from({ length: 2600 }, (_, i) => ({ _timestamp: T0 + i, log: filler }));
    const res = await stream();
    const events = parseSse(res.text);
    expect(events[0]?.event).toBe('search_response_metadata');
    expect(events.at(-1)).toEqual({ event: undefined, data: '[[DONE]]' });
    const hitEvents = events.slice(1, -1);
    expect(hitEvents.length).toBe(3);
    const received: Row[] = [];
    for (const [i, e] of hitEvents.entries()) {
      expect(e.event).toBe('search_response_hits');
      const size = Buffer.byteLength(e.data) - '{"hits":[]}'.length;
      expect(size).toBeLessThanOrEqual(HITS_CHUNK_BYTES);
      // Every event but the last is full: one more hit would not have fit.
      if (i < hitEvents.length - 1) expect(size).toBeGreaterThan(HITS_CHUNK_BYTES - 1100);
      received.push(...(JSON.parse(e.data) as { hits: Row[] }).hits);
    }
    expect(received).toEqual(search.rows.slice().sort((a, b) => b._timestamp - a._timestamp));
  });

  it('sends no hits event for an empty answer', async () => {
    search.rows = [];
    const events = parseSse((await stream()).text);
    expect(events.map((e) => e.event ?? e.data)).toEqual(['search_response_metadata', '[[DONE]]']);
  });

  it('reports a failed search as an error event followed by [[DONE]]', async () => {
    search.failWith = searchFailure(20001, 'Search SQL not valid', 'Parser Error: near "FORM"');
    const res = await stream();
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      `event: error\ndata: ${JSON.stringify({
        code: 20001,
        message: 'Search SQL not valid: Parser Error: near "FORM"',
        error_detail: 'Parser Error: near "FORM"',
      })}\n\ndata: [[DONE]]\n\n`,
    );
    search.failWith = AppError.notFound('stream nope not found');
    expect(parseSse((await stream()).text)).toEqual([
      { event: 'error', data: '{"code":404,"message":"stream nope not found"}' },
      { event: undefined, data: '[[DONE]]' },
    ]);
    search.failWith = AppError.internal('disk /secret/x failed');
    expect(parseSse((await stream()).text)[0]).toEqual({
      event: 'error',
      data: '{"code":500,"message":"Internal Server Error"}',
    });
  });

  it('refuses a malformed request with a plain 400 before streaming', async () => {
    const res = await stream({ sql: '' });
    expect([res.status, res.body]).toEqual([
      400,
      { code: 400, message: 'query.sql must be a non-empty string' },
    ]);
    expect(search.calls).toEqual([]);
  });
});
