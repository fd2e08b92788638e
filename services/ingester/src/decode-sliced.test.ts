import { describe, expect, it } from 'vitest';
import { loadConfig } from '@o2/config';
import type { Schema } from '@o2/schema';
import { appendInSlices, decodeInSlices } from './decode-sliced.js';
import { decodeRequest, startDecoding } from './ingest-pipeline.js';
import type { DecodedRequest } from './ingest-pipeline.js';
import { pipelineSettings } from './ingester-settings.js';
import { HOUR_MICROS, Memtables } from './memtable/memtables.js';

const NOW = Date.UTC(2026, 0, 2) * 1000;
const settings = pipelineSettings(
  loadConfig({ ZO_INGEST_BLOCKED_STREAMS: 'default/logs/blocked' }),
);

/** A `_bulk` body of `n` documents over three streams, with failures of every kind mixed in. */
function bulkBody(n: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const index = i % 97 === 0 ? 'blocked' : i % 3 === 0 ? 'app' : 'web';
    lines.push(JSON.stringify({ index: { _index: i % 101 === 0 ? '' : index, _id: `d${i}` } }));
    // Every 89th document is far outside the time window, every 83rd is not an object.
    const ts = i % 89 === 0 ? NOW / 1000 - 400 * 86_400_000 : NOW / 1000 - i;
    lines.push(i % 83 === 0 ? '[1,2]' : JSON.stringify({ _timestamp: ts, n: i, msg: `m${i}` }));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

const request = (body: Buffer) =>
  ({ org: 'default', streamType: 'logs', format: 'bulk', body }) as const;

/** The decoded request as plain data (Maps as entries) for a deep comparison. */
const plain = (d: DecodedRequest) => ({ ...d, batches: [...d.batches.entries()] });

describe('decodeInSlices', () => {
  it('decodes a body in slices to exactly what one pass makes, letting other work run between', async () => {
    const body = bulkBody(3000);
    const whole = decodeRequest(request(body), NOW, settings, new Set([5, 7]));
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    // A slice far shorter than 32 documents take: the loop gets a turn at every check.
    const sliced = await decodeInSlices(
      startDecoding(request(body), NOW, settings, new Set([5, 7])),
      0.0001,
    );
    counting = false;
    expect(plain(sliced)).toEqual(plain(whole));
    expect(turns).toBeGreaterThanOrEqual(Math.floor(3000 / 32) - 1);
    // The mix did exercise every outcome: stored, blocked, skipped and failed documents.
    expect(sliced.batches.get('app')?.records.length).toBeGreaterThan(0);
    expect(sliced.outcomes.filter((o) => o.blocked === true).length).toBeGreaterThan(0);
    expect(sliced.outcomes.filter((o) => o.error === 'skipped on replay')).toHaveLength(2);
    expect(new Set(sliced.outcomes.map((o) => o.error?.slice(0, 8)))).toHaveProperty('size', 5);
  });

  it('with 0 decodes in one go, without giving the loop a turn', async () => {
    const body = bulkBody(500);
    let ran = false;
    setImmediate(() => (ran = true));
    const decoded = await decodeInSlices(startDecoding(request(body), NOW, settings), 0);
    expect(ran).toBe(false);
    expect(plain(decoded)).toEqual(plain(decodeRequest(request(body), NOW, settings)));
  });

  it('fails the whole request on a malformed line met after some slices', async () => {
    const body = Buffer.concat([bulkBody(400), Buffer.from('{"index":{"_index":"app"}}\n{"n":\n')]);
    await expect(
      decodeInSlices(startDecoding(request(body), NOW, settings), 0.0001),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('appendInSlices', () => {
  const schema: Schema = [
    { name: '_timestamp', type: 'Int64' },
    { name: 'msg', type: 'Utf8' },
  ];
  const key = { org: 'default', type: 'logs' as const, stream: 'web' };
  const n = 1000;
  // Rows over two hours, so the slices land in two memtables.
  const ts = Array.from({ length: n }, (_, i) => 1000 * HOUR_MICROS + i * 7_200_000);
  const batch = () => ({
    key,
    records: ts.map((t, i) => ({ _timestamp: t, msg: `m${i}` })),
    ts,
    docIndexes: ts.map((_, i) => i),
  });
  const rows = (m: Memtables) =>
    m
      .snapshot(key)
      .flatMap((t) =>
        (t.toArray() as Array<{ _timestamp: bigint; msg: string }>).map(
          (r) => `${String(r._timestamp)}/${r.msg}`,
        ),
      )
      .sort();

  it('holds the same rows as one append, letting the loop run between slices', async () => {
    const whole = new Memtables();
    whole.append(key, schema, batch().records, ts);
    const sliced = new Memtables();
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    await appendInSlices(sliced, batch(), schema, undefined, 0.0001);
    counting = false;
    expect(turns).toBeGreaterThanOrEqual(Math.floor(n / 128) - 1);
    expect(rows(sliced)).toEqual(rows(whole));
    expect(rows(sliced)).toHaveLength(n);
  });
});
