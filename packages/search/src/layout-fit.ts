import type { DuckDBConnection } from '@duckdb/node-api';
import { literalList } from './sql-text.js';
import { duckdbType } from './stream-view.js';
import type { StreamField } from './types.js';

const MAX_KEPT = 2_000;
/** Per stream schema and file layout (`FileFacts.schema`): a pure function of both. */
const kept = new Map<string, boolean>();

/**
 * Whether every file types each schema column it holds as the stream's schema does (a file's
 * layout unknown: no). Checked by DESCRIBE of one file per layout the first time a (schema,
 * layout) pair is met: files of a layout share their column types.
 */
export async function typedAsSchema(
  conn: DuckDBConnection,
  schema: readonly StreamField[],
  files: readonly string[],
  layouts: ReadonlyMap<string, string>,
): Promise<boolean> {
  const wanted = new Map(schema.map((f) => [f.name, duckdbType(f.type)]));
  const firstOf = new Map<string, string>();
  for (const file of files) {
    const layout = layouts.get(file);
    if (layout === undefined) return false;
    if (!firstOf.has(layout)) firstOf.set(layout, file);
  }
  const streamKey = JSON.stringify(schema);
  for (const [layout, file] of firstOf) {
    const key = `${streamKey}\0${layout}`;
    let fits = kept.get(key);
    if (fits === undefined) {
      const reader = await conn.runAndReadAll(
        `DESCRIBE SELECT * FROM read_parquet(${literalList([file])}, hive_partitioning = false)`,
      );
      fits = reader
        .getRows()
        .every(([name, type]) => (wanted.get(String(name)) ?? String(type)) === String(type));
      kept.set(key, fits);
      if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
    }
    if (!fits) return false;
  }
  return true;
}
