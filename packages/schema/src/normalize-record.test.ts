import { describe, expect, it } from 'vitest';
import type { NormalizeOptions } from './normalize-record.js';
import { normalizeFlatRecord, normalizeRecord } from './normalize-record.js';

const NOW = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z
const HOUR = 3_600_000_000;
const base: NormalizeOptions = { nowMicros: NOW, streamName: 'app' };

describe('normalizeRecord', () => {
  it('accepts a record nested 10,000 levels deep, keeping the deep part as JSON text', () => {
    const depth = 10_000;
    const raw = JSON.parse(
      `{"id":"d1","n":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
    ) as unknown;
    for (const flattenLevel of [3, 0]) {
      const result = normalizeRecord(raw, { ...base, flattenLevel });
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.record['id']).toBe('d1');
    }
  });

  it('flattens and stamps a record without a timestamp with now', () => {
    expect(normalizeRecord({ Level: 'info', k8s: { pod: 'p1' } }, base)).toEqual({
      ok: true,
      record: { level: 'info', k8s_pod: 'p1', _timestamp: NOW },
      ts: NOW,
    });
  });

  it('reads @timestamp (which lands on _timestamp) and rewrites it as integer µs', () => {
    const r = normalizeRecord({ '@timestamp': '2026-01-01T00:00:00.5Z', msg: 'x' }, base);
    expect(r).toEqual({
      ok: true,
      record: { _timestamp: NOW + 500_000, msg: 'x' },
      ts: NOW + 500_000,
    });
  });

  it('takes the timestamp from ZO_COLUMN_TIMESTAMP when present, keeping that key', () => {
    const options = { ...base, timestampColumn: 'time' };
    const seconds = NOW / 1e6 - 60;
    const r = normalizeRecord({ time: seconds, _timestamp: 1, msg: 'x' }, options);
    expect(r).toEqual({
      ok: true,
      record: { time: seconds, _timestamp: NOW - 60_000_000, msg: 'x' },
      ts: NOW - 60_000_000,
    });
  });

  it('falls back to _timestamp when the timestamp column is absent', () => {
    const options = { ...base, timestampColumn: 'time' };
    expect(normalizeRecord({ _timestamp: NOW - 1 }, options)).toMatchObject({ ts: NOW - 1 });
  });

  it('fails a record whose timestamp cannot be parsed', () => {
    expect(normalizeRecord({ _timestamp: 'yesterday' }, base)).toEqual({
      ok: false,
      error: "Can't parse timestamp",
    });
  });

  it('rejects a record whose _timestamp is outside the window', () => {
    const old = normalizeRecord({ _timestamp: NOW - 6 * HOUR }, base);
    expect(old.ok).toBe(false);
    expect(!old.ok && old.error).toMatch(/^Too old data, only last 5 hours/);
    const far = normalizeRecord(
      { _timestamp: NOW + 25 * HOUR },
      { ...base, allowedInFutureHours: 24 },
    );
    expect(!far.ok && far.error).toMatch(/^Too far data, only future 24 hours/);
  });

  it('honours a wider configured window', () => {
    const r = normalizeRecord({ _timestamp: NOW - 30 * HOUR }, { ...base, allowedUptoHours: 48 });
    expect(r.ok).toBe(true);
  });

  it('fails a record with more columns than the cap, counting _timestamp', () => {
    const raw = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`c${i}`, i]));
    expect(normalizeRecord(raw, { ...base, colsPerRecordLimit: 4 }).ok).toBe(true);
    expect(normalizeRecord(raw, { ...base, colsPerRecordLimit: 3 })).toEqual({
      ok: false,
      error:
        'Got 4 columns for stream app, only 3 columns accept. Data discarded. You can adjust ingestion columns limit by setting the environment variable ZO_COLS_PER_RECORD_LIMIT=<max_columns>',
    });
  });

  it('counts columns after collisions, not raw keys', () => {
    const r = normalizeRecord({ 'a.b': 1, a_b: 2, 'A.B': 3 }, { ...base, colsPerRecordLimit: 2 });
    expect(r).toMatchObject({ ok: true, record: { a_b: 3, _timestamp: NOW } });
  });

  it('caps at 1000 columns by default and 0 means no cap', () => {
    const raw = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`c${i}`, i]));
    const capped = normalizeRecord(raw, base);
    expect(!capped.ok && capped.error).toMatch(/^Got 1001 columns for stream app, only 1000/);
    expect(normalizeRecord(raw, { ...base, colsPerRecordLimit: 0 }).ok).toBe(true);
  });

  it('uses the flatten level it is given', () => {
    const r = normalizeRecord({ a: { b: 1 } }, { ...base, flattenLevel: 1 });
    expect(r).toMatchObject({ ok: true, record: { a: '{"b":1}' } });
  });

  it('returns, never throws, "flatten value must be an object" for non-objects', () => {
    for (const bad of [null, 1, 'x', [{ a: 1 }]]) {
      expect(normalizeRecord(bad, base)).toEqual({
        ok: false,
        error: 'flatten value must be an object',
      });
    }
  });

  it('accepts nesting 100,000 levels deep, never answering with a JS error text', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const r = normalizeRecord(deep, { ...base, flattenLevel: 0 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(String(Object.values(r.record)[0])).toMatch(/\{"leaf":1\}\}+$/);
  });
});

describe('normalizeFlatRecord', () => {
  it('gives what normalizeRecord gives for a flat record, in place', () => {
    const cases: Array<[Record<string, string | number>, NormalizeOptions]> = [
      [{ job: 'a', value: 1, _timestamp: NOW - HOUR }, base],
      [{ job: 'a', value: 1, _timestamp: (NOW - HOUR) / 1000 }, base], // ms, scaled like any number
      [{ job: 'a', value: 1 }, base], // no timestamp: now
      [{ job: 'a', value: 1, _timestamp: NOW - 10 * HOUR }, base], // too old
      [
        { job: 'a', value: 1, _timestamp: NOW, at: NOW - HOUR },
        { ...base, timestampColumn: 'at' },
      ],
      [
        { a: 'x', b: 'y', value: 1, _timestamp: NOW },
        { ...base, colsPerRecordLimit: 3 },
      ],
    ];
    for (const [record, options] of cases) {
      const copy = { ...record };
      const error = normalizeFlatRecord(copy, options);
      const want = normalizeRecord(record, options);
      expect(error).toBe(want.ok ? undefined : want.error);
      if (want.ok) expect(copy).toEqual(want.record);
    }
  });
});
