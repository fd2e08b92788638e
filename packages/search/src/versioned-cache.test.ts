import { stat } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { flatK8sRecords, k8sLogSample, schemaOf, writeParquet } from './bench/k8s-fixture.js';
import { storedFileFacts, VersionedCache } from './versioned-cache.js';
import type { FileFacts } from './versioned-cache.js';

const BASE = 1_700_000_000_000_000;
const STEP = 1_000;

let dir: TempDir;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let files: string[];
let sizes: Map<string, number>;

// Two files of 200 and 300 rows, timestamps BASE + i·STEP for records [0,200) and [200,500).
beforeAll(async () => {
  dir = await makeTempDir('file-facts');
  const records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: STEP });
  const schema = schemaOf(records);
  files = [
    await writeParquet(dir.path, 'a', schema, records.slice(0, 200)),
    await writeParquet(dir.path, 'b', schema, records.slice(200, 500), 64),
  ];
  sizes = new Map(await Promise.all(files.map(async (f) => [f, (await stat(f)).size] as const)));
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});

afterAll(async () => {
  conn?.closeSync();
  instance?.closeSync();
  await dir?.remove();
});

describe('storedFileFacts', () => {
  it('reads rows and _timestamp bounds from the footers when the file list gave none', async () => {
    const facts = await storedFileFacts(conn, files, new VersionedCache<FileFacts>(), sizes);
    expect(facts.records).toBe(500);
    expect(facts.bounds.get(files[0]!)).toEqual([BASE, BASE + 199 * STEP]);
    expect(facts.bounds.get(files[1]!)).toEqual([BASE + 200 * STEP, BASE + 499 * STEP]);
    expect(facts.schemas.get(files[0]!)).toBe(facts.schemas.get(files[1]!));
  });

  it('takes rows and bounds from the file list where it gave them, and keeps them', async () => {
    // Values no footer holds, so the figures can only have come from the list; file b is listed
    // as the list would list it, file a not at all (read from its footer).
    const listed = new Map([[files[1]!, { records: 7, minTs: 11, maxTs: 22 }]]);
    const cache = new VersionedCache<FileFacts>();
    const facts = await storedFileFacts(conn, files, cache, sizes, listed);
    expect(facts.records).toBe(200 + 7);
    expect(facts.bounds.get(files[0]!)).toEqual([BASE, BASE + 199 * STEP]);
    expect(facts.bounds.get(files[1]!)).toEqual([11, 22]);
    // The schema is still the footer's: it decides which files one read_parquet can bind.
    expect(facts.schemas.get(files[1]!)).toBe(facts.schemas.get(files[0]!));
    // Cached by version: a later query without the list's figures meets the same facts.
    const again = await storedFileFacts(conn, files, cache, sizes);
    expect(again.records).toBe(207);
    expect(again.bounds.get(files[1]!)).toEqual([11, 22]);
  });
});
