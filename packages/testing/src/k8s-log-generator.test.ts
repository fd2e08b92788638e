import { describe, expect, it } from 'vitest';
import { K8S_SAMPLE_COUNT, generateK8sLogs, jsonBody } from './k8s-log-generator.js';
import type { K8sLogRecord } from './k8s-log-generator.js';

const texts = (r: K8sLogRecord): string =>
  [r['log'], r['message']].filter((t): t is string => typeof t === 'string').join('\n');

function countBy(records: readonly K8sLogRecord[], key: string): Map<unknown, number> {
  const counts = new Map<unknown, number>();
  for (const r of records) counts.set(r[key], (counts.get(r[key]) ?? 0) + 1);
  return counts;
}

describe('generateK8sLogs', () => {
  const records = generateK8sLogs();

  it('is deterministic for a seed and differs between seeds', () => {
    expect(records).toHaveLength(K8S_SAMPLE_COUNT);
    expect(generateK8sLogs()).toEqual(records);
    expect(generateK8sLogs({ seed: 2 })).not.toEqual(records);
    expect(generateK8sLogs({ count: 10 })).toEqual(records.slice(0, 10));
    expect(generateK8sLogs({ count: 0 })).toEqual([]);
  });

  it('holds what the search tests look for', () => {
    for (const term of ['error', 'Error', 'ERROR']) {
      expect(records.filter((r) => texts(r).includes(term)).length, term).toBeGreaterThan(5);
    }
    const codes = records.map((r) => r['code']);
    expect(codes.filter((c) => c === null).length).toBeGreaterThan(500);
    expect(codes.filter((c) => c === undefined).length).toBeGreaterThan(0);
    expect(codes.filter((c) => typeof c === 'number' && c > 399).length).toBeGreaterThan(10);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThan(50);
    expect(records.some((r) => /[^ -~\s]/.test(texts(r)))).toBe(true);
    expect([...countBy(records, 'stream').keys()].sort()).toEqual(['stderr', 'stdout']);
    // Namespaces of clearly different sizes, so "top N" answers have no ties.
    const namespaces = [...countBy(records, 'kubernetes.namespace_name').values()];
    expect(namespaces).toHaveLength(6);
    expect(new Set(namespaces).size).toBe(namespaces.length);
  });

  it('writes every key of the dotted shape, null when absent, except in one workload', () => {
    const keys = (r: K8sLogRecord): string => Object.keys(r).sort().join(',');
    const full = records.filter((r) => r['kubernetes.namespace_name'] !== 'kube-system');
    expect(new Set(full.map(keys)).size).toBe(1);
    expect(Object.keys(full[0]!)).toContain('kubernetes.labels.app.kubernetes.io/name');
    expect(Object.keys(full[0]!).filter((k) => !k.startsWith('kubernetes.'))).toEqual([
      'log',
      'stream',
      'code',
      'level',
      'message',
      'method',
      'took',
    ]);
    const sparse = records.filter((r) => r['kubernetes.namespace_name'] === 'kube-system');
    expect(sparse.length).toBeGreaterThan(0);
    for (const r of sparse) expect(Object.values(r)).not.toContain(null);
  });

  it('spreads _timestamp over the asked range without changing the content', () => {
    const startMicros = 1_767_225_600_000_000;
    const endMicros = startMicros + 3_600_000_000;
    const timed = generateK8sLogs({ time: { startMicros, endMicros } });
    const stamps = timed.map((r) => r['_timestamp'] as number);
    expect(stamps[0]).toBeGreaterThanOrEqual(startMicros);
    expect(stamps.at(-1)).toBeLessThan(endMicros);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(new Set(stamps).size).toBe(stamps.length);
    // Only the time changes: the timestamp field and the clock the lines print.
    const content = (r: K8sLogRecord): K8sLogRecord => {
      const { _timestamp: _t, log: _l, ...rest } = r;
      return rest;
    };
    expect(timed.map(content)).toEqual(records.map(content));
    const agent = timed.find((r) => String(r['log']).startsWith('ts='))!;
    const printed = new Date((agent['_timestamp'] as number) / 1000).toISOString();
    expect(agent['log']).toContain(`ts=${printed} `);
    expect(records.every((r) => !('_timestamp' in r))).toBe(true);
  });

  it('nests the same fields in the nested shape', () => {
    const nested = generateK8sLogs({ shape: 'nested', count: 50 });
    const flatten = (value: unknown, prefix = '', out: K8sLogRecord = {}): K8sLogRecord => {
      for (const [k, v] of Object.entries(value as K8sLogRecord)) {
        if (v !== null && typeof v === 'object') flatten(v, `${prefix}${k}.`, out);
        else out[`${prefix}${k}`] = v;
      }
      return out;
    };
    expect(nested.map((r) => flatten(r))).toEqual(records.slice(0, 50));
    expect(nested[0]).toHaveProperty(['kubernetes', 'labels', 'app.kubernetes.io/name']);
  });

  it('serialises to the JSON array body of an ingest request', () => {
    const body = jsonBody(records);
    expect(JSON.parse(body.toString('utf8'))).toEqual(records);
  });
});
