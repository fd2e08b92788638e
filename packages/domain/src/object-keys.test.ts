import { describe, expect, it } from 'vitest';
import {
  fileKey,
  parseFileKey,
  sanitizePartitionValue,
  storedObjectKeys,
  traceIdIndexKey,
} from './object-keys.js';

const TS = Date.UTC(2025, 7, 21, 9, 59, 59, 999) * 1000 + 999;
const ID = '7099303408192061440f3a1';

describe('fileKey / parseFileKey', () => {
  it('lays a file out under its UTC hour', () => {
    const key = fileKey({ org: 'default', streamType: 'logs', stream: 'k8s_logs', ts: TS, id: ID });
    expect(key).toBe(`files/default/logs/k8s_logs/2025/08/21/09/${ID}.parquet`);
    expect(parseFileKey(key)).toEqual({
      org: 'default',
      streamType: 'logs',
      stream: 'k8s_logs',
      ts: Date.UTC(2025, 7, 21, 9) * 1000,
      partitions: [],
      id: ID,
      streamKey: 'default/logs/k8s_logs',
      date: '2025/08/21/09',
      file: `${ID}.parquet`,
    });
  });

  it('round-trips partition dirs, sanitising values with spaces, = and /', () => {
    const key = fileKey({
      org: 'acme',
      streamType: 'traces',
      stream: 'default',
      ts: TS,
      partitions: [
        ['service name', 'checkout api'],
        ['k=8s', 'a=b/c'],
        ['path', '../../etc/passwd'],
        ['ctl', 'x\ny'],
      ],
      id: ID,
    });
    expect(key).toBe(
      `files/acme/traces/default/2025/08/21/09/service name=checkout api/k_8s=a_b_c/path=____etc_passwd/ctl=x_y/${ID}.parquet`,
    );
    expect(key.split('/').some((segment) => segment === '..' || segment === '.')).toBe(false);
    const parsed = parseFileKey(key);
    expect(parsed.partitions).toEqual([
      ['service name', 'checkout api'],
      ['k_8s', 'a_b_c'],
      ['path', '____etc_passwd'],
      ['ctl', 'x_y'],
    ]);
    expect(parsed.file).toBe(
      `service name=checkout api/k_8s=a_b_c/path=____etc_passwd/ctl=x_y/${ID}.parquet`,
    );
    expect(fileKey({ ...parsed, partitions: parsed.partitions })).toBe(key);
  });

  it('sanitises without changing ordinary values', () => {
    expect(sanitizePartitionValue('prod-eu.1')).toBe('prod-eu.1');
    expect(sanitizePartitionValue('ünï 日本')).toBe('ünï 日本');
    expect(sanitizePartitionValue('a..b')).toBe('a_b');
  });

  it('refuses unsafe org or stream names and keys that are not data files', () => {
    const parts = { org: 'o', streamType: 'logs', stream: 's', ts: TS, id: ID } as const;
    expect(() => fileKey({ ...parts, org: '..' })).toThrow(/org/);
    expect(() => fileKey({ ...parts, stream: 'a/b' })).toThrow(/stream/);
    // The edge's rules (@o2/domain names): what the ingest routes refuse, fileKey refuses too.
    expect(() => fileKey({ ...parts, org: '../default' })).toThrow(/invalid org.*only letters/);
    expect(() => fileKey({ ...parts, org: 'Bad Org!' })).toThrow(/invalid org/);
    expect(() => fileKey({ ...parts, stream: 'a..b' })).toThrow(/invalid stream/);
    expect(() => fileKey({ ...parts, stream: 'a\u0000b' })).toThrow(/control characters/);
    expect(() => fileKey({ ...parts, stream: 's'.repeat(257) })).toThrow(/longer than 256/);
    expect(fileKey({ ...parts, stream: 'Kept As Given' })).toContain('/Kept As Given/');
    expect(() => fileKey({ ...parts, id: '../x' })).toThrow(/id/);
    expect(() => fileKey({ ...parts, streamType: 'bogus' as 'logs' })).toThrow(/stream type/);
    for (const bad of [
      'files/o/logs/s/2025/08/21/09.parquet',
      'other/o/logs/s/2025/08/21/09/x.parquet',
      'files/o/bogus/s/2025/08/21/09/x.parquet',
      'files/o/logs/s/2025/13/21/09/x.parquet',
      'files/o/logs/s/2025/08/21/09/novalue/x.parquet',
      'files/o/logs/s/2025/08/21/09/x.json',
    ]) {
      expect(() => parseFileKey(bad), bad).toThrow(/not a data file key/);
    }
  });
});

describe('stored object keys', () => {
  const ref = { org: 'o', stream: 's', date: '2026/12/04/16', file: 'f1.parquet' };
  it('lists the token index beside every data file and the trace-id index beside traces files', () => {
    expect(storedObjectKeys({ ...ref, type: 'logs' })).toEqual([
      'files/o/logs/s/2026/12/04/16/f1.parquet',
      'files/o/logs/s/2026/12/04/16/f1.tokens',
    ]);
    expect(storedObjectKeys({ ...ref, type: 'traces' })).toEqual([
      'files/o/traces/s/2026/12/04/16/f1.parquet',
      'files/o/traces/s/2026/12/04/16/f1.tokens',
      traceIdIndexKey('files/o/traces/s/2026/12/04/16/f1.parquet'),
    ]);
    expect(traceIdIndexKey('files/o/traces/s/2026/12/04/16/f1.parquet')).toBe(
      'files/o/traces/s/2026/12/04/16/f1.traceids',
    );
  });
});
