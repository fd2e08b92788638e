import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Every `seq` stored in the Parquet files below `dir`, read by a real DuckDB straight from the
 * files (never through the API), in ascending order with duplicates kept — so a test can tell
 * a lost record from a doubled one.
 */
export async function storedSeqs(dir: string): Promise<number[]> {
  const files = (await readdir(dir, { recursive: true }))
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => join(dir, f));
  if (files.length === 0) return [];
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const list = files.map((f) => `'${f}'`).join(',');
    const reader = await connection.runAndReadAll(
      `SELECT seq FROM read_parquet([${list}], union_by_name = true) ORDER BY seq`,
    );
    return reader.getRowObjectsJS().map((r) => Number(r['seq']));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
