import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

// The querier's `match_all` runs in DuckDB, so the index's case folding must be DuckDB's.
let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  db = await instance.connect();
});

afterAll(() => {
  db?.closeSync();
  instance?.closeSync();
});

describe('token classes agree with DuckDB lower()', () => {
  it('every non-ASCII code point lowers to non-ASCII except İ and the Kelvin sign', async () => {
    const reader = await db.runAndReadAll(
      `SELECT i, ord(lower(chr(i::INTEGER))) FROM range(128, 1114112) t(i)
       WHERE (i < 55296 OR i > 57343)
         AND (length(lower(chr(i::INTEGER))) <> 1 OR ord(lower(chr(i::INTEGER))) < 128)
       ORDER BY i`,
    );
    expect(reader.getRows().map((r) => [Number(r[0]), Number(r[1])])).toEqual([
      [0x130, 0x69],
      [0x212a, 0x6b],
    ]);
    const ascii = await db.runAndReadAll(
      `SELECT count(*) FROM range(1, 128) t(i)
       WHERE lower(chr(i::INTEGER)) <> CASE WHEN i BETWEEN 65 AND 90 THEN chr((i + 32)::INTEGER) ELSE chr(i::INTEGER) END`,
    );
    expect(Number(ascii.getRows()[0]![0])).toBe(0);
  });
});
