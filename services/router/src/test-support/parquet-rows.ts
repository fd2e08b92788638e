import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Every Parquet file below `dir` (none when it does not exist). */
export async function parquetFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((name) => name.endsWith('.parquet')).map((name) => join(dir, name));
}

/** The rows stored below `dir`, read by a real DuckDB straight from the Parquet files. */
export async function parquetRows(dir: string): Promise<Array<Record<string, unknown>>> {
  const files = await parquetFilesUnder(dir);
  if (files.length === 0) return [];
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(',');
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_parquet([${list}], union_by_name = true) ORDER BY _timestamp`,
    );
    return reader.getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
