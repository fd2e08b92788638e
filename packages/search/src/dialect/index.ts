import type { DuckDBConnection } from '@duckdb/node-api';
import type { AstNode } from '../sql-ast.js';
import { parseSelect } from '../sql-ast.js';
import { normalizeSql } from './normalize-sql.js';

export { dialectFunctionNames, dialectTemplate, dialectWindow } from './dialect-call.js';
export { dialectCast } from './dialect-function.js';
export type { ColumnType } from './dialect-call.js';
export { normalizeSql } from './normalize-sql.js';

/** Parses a user's query in O2's dialect: respelled where DuckDB's parser differs, then parsed. */
export async function parseUserSelect(conn: DuckDBConnection, sql: string): Promise<AstNode> {
  return parseSelect(conn, normalizeSql(sql));
}
