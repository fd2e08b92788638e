import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { StreamField } from './types.js';
import { bucketMicros, caselessRun, o2FunctionTemplate } from './o2-functions.js';

/*
 * The integer bucket expression against DuckDB's own `time_bucket` from 2001-01-01 (what the
 * histogram used before): widths that do and do not divide the origin's epoch time, fixed
 * offsets either side, times before 1970, before the origin, and on bucket edges.
 */
describe('histogram bucket arithmetic', () => {
  it('matches time_bucket from 2001-01-01 for every width, offset and time', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const origin = 978_307_200_000_000;
      const times = [
        0,
        -1,
        1,
        origin,
        origin - 1,
        origin + 1,
        -86_400_000_001,
        1_700_000_000_123_456,
        1_699_999_980_000_000,
        -62_135_596_800_000_000,
        4_102_444_800_000_000,
      ];
      for (let k = 0; k < 200; k++) times.push(Math.round((k * 7_919_000_000_003) % 4e15) - 1e15);
      await conn.run(`CREATE TABLE t AS SELECT unnest([${times.join(', ')}]::BIGINT[]) AS ts`);
      for (const seconds of [1, 7, 10, 60, 3_600, 86_400, 7 * 86_400, 30 * 86_400]) {
        for (const offset of [0, 8 * 3_600_000_000, -(5 * 3_600_000_000 + 1_800_000_000)]) {
          const local = `make_timestamp(ts + ${offset})`;
          const expected = `time_bucket(to_microseconds(${seconds * 1_000_000}), ${local}, TIMESTAMP '2001-01-01 00:00:00')`;
          const reader = await conn.runAndReadAll(
            `SELECT count(*) FROM t WHERE ${bucketMicros('ts', offset, seconds)} IS DISTINCT FROM ${expected}`,
          );
          expect([seconds, offset, Number(reader.getRows()[0]![0])]).toEqual([seconds, offset, 0]);
        }
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('finds the caseless run a case-insensitive match must contain verbatim', () => {
    expect(caselessRun('wombat_91c2')).toBe('_91');
    expect(caselessRun('zqxrare42')).toBe('42');
    expect(caselessRun('error')).toBeUndefined();
    expect(caselessRun('Disk Full')).toBeUndefined(); // a blank alone selects nothing
    expect(caselessRun('a-b 10.0.0.1:80 x')).toBe(' 10.0.0.1:80 ');
    expect(caselessRun('ünïcode-ÿ')).toBe('-');
  });

  it('match_all with the caseless prefilter answers as lower()+contains alone', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const texts = [
        'Wombat_91C2 seen',
        'wombat_91c',
        'WOMBAT_91C2',
        'wombat 91c2',
        'x_91 wombat',
        'K_1 \u212a_1',
        '\u0130D_7',
        'id_7',
        'STRASSE_2',
        'stra\u00dfe_2',
        '\uff14\uff12x',
        '42x',
        'a-b 10.0.0.1:80 X',
        'A-B 10.0.0.1:80 x',
        '',
        'ERROR 42',
      ];
      const values = texts.map((t) => `('${t.replaceAll("'", "''")}')`);
      await conn.run(
        `CREATE TABLE t AS SELECT * FROM (VALUES ${values.join(', ')}, (NULL)) v(log)`,
      );
      const fields: StreamField[] = [{ name: 'log', type: 'Utf8' }];
      const ctx = { fullTextFields: () => fields, startTime: 0, endTime: 1, onHistogram: () => {} };
      for (const term of [
        'wombat_91c2',
        'k_1',
        'i\u0307d_7',
        'id_7',
        'strasse_2',
        '42x',
        'a-b 10.0.0.1:80 x',
        'error 42',
      ]) {
        const quoted = `'${term.replaceAll("'", "''")}'`;
        const sql = o2FunctionTemplate(
          'match_all',
          [
            {
              class: 'CONSTANT',
              type: 'VALUE_CONSTANT',
              value: { type: { id: 'VARCHAR' }, is_null: false, value: term },
            },
          ],
          ctx,
        )!.sql;
        const plain = `(log IS NOT NULL AND contains(lower(log), lower(${quoted})))`;
        const reader = await conn.runAndReadAll(
          `SELECT count(*) FILTER (WHERE ${sql}), count(*) FILTER (WHERE (${sql}) IS DISTINCT FROM ${plain}) FROM t`,
        );
        const [matched, differing] = reader.getRows()[0]!.map(Number);
        expect([term, differing]).toEqual([term, 0]);
        if (term === 'wombat_91c2') expect(matched).toBe(2);
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
