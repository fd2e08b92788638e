import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Dictionary, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { buildTokenIndex, tokenIndexInfo, tokenIndexMayMatch } from './index.js';

/**
 * The index is stored in the bucket beside each data file, so its bytes are a format: indexes
 * written by earlier builds must keep decoding the same way. The digests below were taken from
 * the index built by `@o2/search` before the format moved to this package; any change to them is
 * a format change and needs a new VERSION.
 */
function sample(): Table {
  return new Table({
    log: vectorFromArray(
      ['Error: disk /var/log full', null, 'GET /api/v1 200 ok', 'naïve İd Kelvin K', 'error'],
      new Utf8(),
    ),
    message: vectorFromArray(
      ['caller=watcher.go:87 msg="Failed to watch"', 'x', null, '日本語 テキスト', ''],
      new Dictionary(new Utf8(), new Int32()),
    ),
    code: vectorFromArray([200, 404, 500, 200, 201], new Int32()),
  });
}

const FIELDS = ['log', 'message', 'code', 'absent', 'log'];
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('token index format', () => {
  it('builds the same bytes as the format has always had (token list kept)', () => {
    const index = buildTokenIndex(sample(), FIELDS);
    // "O2TI", version 1, token list present, 3 covered fields (log, message, absent).
    expect(hex(index.subarray(0, 32))).toBe(
      '4f3254490101000300036c6f6700076d6573736167650006616273656e74fdfd',
    );
    expect(index.length).toBe(7190);
    expect(sha256(index)).toBe('59a43652f5d2a3a260eec7f76cb1fd42ab245180c162b703692535e106ff6470');
    // Header (8) + fields (22) + n-gram bitmap (7045), then the sorted token list.
    const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
    expect(view.getUint32(7075)).toBe(111);
    expect(new TextDecoder().decode(index.subarray(7079)).split('\n')).toEqual([
      ...['200', '87', 'api', 'caller', 'disk', 'error', 'failed', 'full', 'get', 'go', 'id'],
      ...['k', 'kelvin', 'log', 'msg', 'na~ve', 'ok', 'to', 'v1', 'var', 'watch', 'watcher'],
      ...['x', '~~~', '~~~~'],
    ]);
    expect(tokenIndexInfo(index)).toEqual({
      fields: ['log', 'message', 'absent'],
      tokens: 25,
      bytes: 7190,
    });
  });

  it('builds the same bytes when only the n-gram bitmap fits', () => {
    const index = buildTokenIndex(sample(), FIELDS, { maxTokenListBytes: 0 });
    expect(hex(index.subarray(0, 8))).toBe('4f32544901000003');
    expect(index.length).toBe(7075);
    expect(sha256(index)).toBe('3e08a0874cdf9ab62d7e2c55302f0f7416a8461b483718039ddfb3358e694511');
    expect(tokenIndexInfo(index)).toEqual({
      fields: ['log', 'message', 'absent'],
      tokens: undefined,
      bytes: 7075,
    });
  });

  it('answers the same from stored bytes as from the freshly built index', () => {
    const built = buildTokenIndex(sample(), FIELDS);
    // A copy at an offset inside a larger buffer, as a body read back from the bucket may be.
    const stored = new Uint8Array(built.length + 3);
    stored.set(built, 3);
    const readBack = stored.subarray(3);
    for (const [term, expected] of [
      ['watcher.go:87', true],
      ['rror', true],
      ['ERROR', true],
      ['/api/v1', true],
      ['İD', true],
      ['zzqx', false],
      ['watcher.go:88', false],
      ['api/v2', false],
    ] as const) {
      expect({ term, built: tokenIndexMayMatch(built, term) }).toEqual({ term, built: expected });
      expect({ term, read: tokenIndexMayMatch(readBack, term) }).toEqual({ term, read: expected });
    }
    expect(tokenIndexMayMatch(readBack, 'zzqx', ['log', 'code'])).toBe(true);
  });
});
