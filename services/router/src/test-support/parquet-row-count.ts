import { DuckDBInstance } from '@duckdb/node-api';

/** Rows in these Parquet files, read by a real DuckDB straight from the files. */
export async function parquetRowCount(files: readonly string[]): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const list = files.map((f) => `'${f}'`).join(',');
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM read_parquet([${list}], union_by_name = true)`,
    );
    return Number(reader.getRowObjectsJS()[0]?.['n']);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
