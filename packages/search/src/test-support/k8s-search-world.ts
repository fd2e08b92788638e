import { afterAll, beforeAll } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import type { FlatRecord } from '@o2/schema';
import { createSearchEngine, searchErrorCode } from '../index.js';
import type { SearchQuery } from '@o2/domain';
import type { Hit, SearchEngine, SearchResponse, StreamSource } from '../index.js';
import {
  flatK8sRecords,
  k8sLogSample,
  schemaOf,
  tableOf,
  writeParquet,
} from '../bench/k8s-fixture.js';

/**
 * 981 generated k8s log records as one stream `default`: three Parquet files (one written
 * without the columns its rows never set) plus two in-memory tables. Every oracle below is
 * computed from the raw records and compared row by row, identified by `_timestamp` (record i
 * has base + i·step).
 */
export const BASE = 1_700_000_000_000_000;
export const STEP = 100_000;
export const ts = (i: number): number => BASE + i * STEP;
export const indexOf = (hit: Hit): number => ((hit._timestamp as number) - BASE) / STEP;

export type Raw = Record<string, unknown>;

/** Filled by `useK8sSearchWorld()` before the tests of a file run. */
export const world = {} as {
  dir: TempDir;
  engine: SearchEngine;
  raw: Raw[];
  sources: StreamSource[];
};

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Full-text fields of world.raw: its only default FTS keys are `log` and `message`. */
export function ftsTexts(r: Raw): string[] {
  return [text(r.log), text(r.message)].filter((t): t is string => t !== undefined);
}

export function oracle(test: (r: Raw) => boolean): number[] {
  return world.raw.flatMap((r, i) => (test(r) ? [i] : []));
}

export function ids(response: SearchResponse): number[] {
  return response.hits.map(indexOf).sort((a, b) => a - b);
}

export async function search(
  sql: string,
  extra: Partial<SearchQuery> = {},
): Promise<SearchResponse> {
  return world.engine.search(
    { sql, startTime: ts(0), endTime: ts(world.raw.length), size: -999, ...extra },
    world.sources,
  );
}

export async function searchCode(sql: string, extra: Partial<SearchQuery> = {}): Promise<unknown> {
  try {
    await search(sql, extra);
  } catch (err) {
    return searchErrorCode(err);
  }
  return 'no error';
}

/** Registers the world's set-up and tear-down in the calling test file. */
export function useK8sSearchWorld(): void {
  beforeAll(async () => {
    world.dir = await makeTempDir('search');
    world.raw = k8sLogSample();
    const records = flatK8sRecords(world.raw, { baseMicros: BASE, stepMicros: STEP });
    const schema = schemaOf(records);
    const part = (keep: (r: FlatRecord, i: number) => boolean): FlatRecord[] =>
      records.filter((r, i) => keep(r, i));
    const codeless = part((r, i) => i % 2 === 0 && r.code === undefined);
    const coded = part((r, i) => i % 2 === 0 && r.code !== undefined);
    const odd = part((_, i) => i % 2 === 1 && i % 3 !== 0);
    const hotA = part((_, i) => i % 2 === 1 && i % 3 === 0 && i < 500);
    const hotB = part((_, i) => i % 2 === 1 && i % 3 === 0 && i >= 500);
    // Each file gets the schema of its own rows: `codeless` has no code/message/... columns.
    const files = [
      await writeParquet(world.dir.path, 'codeless', schemaOf(codeless), codeless, 64),
      await writeParquet(world.dir.path, 'coded', schemaOf(coded), coded),
      await writeParquet(world.dir.path, 'odd', schemaOf(odd), odd),
    ];
    world.engine = await createSearchEngine({
      tempDir: `${world.dir.path}/tmp`,
      allowedDirectories: [world.dir.path],
      threads: 2,
      dashboardPlaceholder: '_o2_all_',
    });
    world.sources = [
      {
        name: 'default',
        schema: [...schema, { name: 'never_written', type: 'Utf8' }],
        parquetFiles: files,
        tables: [tableOf(schema, hotA), tableOf(schema, hotB)],
      },
      {
        name: 'pods',
        schema,
        parquetFiles: files,
        settings: { full_text_search_keys: ['kubernetes_pod_name'] },
      },
      {
        name: 'metrics_only',
        schema: [
          { name: '_timestamp', type: 'Int64' },
          { name: 'value', type: 'Float64' },
        ],
        parquetFiles: [],
      },
      { name: 'empty', schema: [], parquetFiles: [] },
    ];
  });

  afterAll(async () => {
    await world.engine?.close();
    await world.dir?.remove();
  });
}

/** Edit distance, the oracle of fuzzy_match. */
export function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
