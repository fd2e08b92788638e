import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '@o2/errors';
import { quoteIdent, quoteLiteral } from './sql-text.js';

/**
 * A partial result small enough to travel as text: each column's DuckDB type and each value as
 * DuckDB's own text of it (`CAST(v AS VARCHAR)`), which DuckDB casts back to the same value for
 * every type in {@link TEXT_TYPES}.
 */
export interface PartialRows {
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
}

/** A worker's partial result: its rows as text when few, else the Parquet file DuckDB wrote. */
export type PartialResult = { parquet: Uint8Array } | { rows: PartialRows };

/**
 * Results of up to this many rows travel as text. A few rows (a count, a histogram, the groups
 * of a low-cardinality key) cost ~6 ms as a Parquet file on the worker and ~3 ms through a temp
 * file on the leader, and well under a millisecond as text; the leader parses the text as one
 * VALUES list, whose cost grows with the rows, so large results keep Parquet.
 */
export const MAX_TEXT_ROWS = 512;
/** Nor more than this many characters of values (a few long strings keep Parquet too). */
const MAX_TEXT_CHARS = 256 * 1024;

/**
 * Scalar types whose text DuckDB casts back exactly (doubles print shortest round-trip, decimals
 * and timestamps in full). Nested types are left out: their text does not quote the strings in
 * them. TIMESTAMPTZ is left out: its text depends on the session's time zone.
 */
const TEXT_TYPES =
  /^(BOOLEAN|U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(\d{1,2},\d{1,2}\)|VARCHAR|DATE|TIMESTAMP)$/;

/**
 * Runs a checked partial's SQL into a temp table, then answers its rows as text when they are
 * few and of text-safe types, else the table as Parquet (DuckDB's writer): the query runs once
 * either way.
 */
export async function partialResult(
  deps: { conn: DuckDBConnection; dir: string; run(sql: string): Promise<void> },
  sql: string,
): Promise<PartialResult> {
  const table = quoteIdent(`__o2_partial_${randomUUID().replaceAll('-', '')}`);
  await deps.run(`CREATE TEMP TABLE ${table} AS ${sql}`);
  try {
    const rows = await rowsAsText(deps.conn, table);
    if (rows !== undefined) return { rows };
    const path = join(deps.dir, `${randomUUID()}.parquet`);
    try {
      await deps.run(`COPY ${table} TO ${quoteLiteral(path)} (FORMAT parquet)`);
      return { parquet: new Uint8Array(await readFile(path)) };
    } finally {
      await rm(path, { force: true });
    }
  } finally {
    await deps.conn.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

async function rowsAsText(conn: DuckDBConnection, table: string): Promise<PartialRows | undefined> {
  const described = await conn.runAndReadAll(`DESCRIBE ${table}`);
  const columns = described.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  if (columns.length === 0 || !columns.every((c) => TEXT_TYPES.test(c.type))) return undefined;
  const casts = columns.map((c) => `CAST(${quoteIdent(c.name)} AS VARCHAR)`).join(', ');
  const read = await conn.runAndReadAll(`SELECT ${casts} FROM ${table} LIMIT ${MAX_TEXT_ROWS + 1}`);
  const rows = read.getRows() as (string | null)[][];
  if (rows.length > MAX_TEXT_ROWS) return undefined;
  let chars = 0;
  for (const row of rows) for (const v of row) chars += v?.length ?? 0;
  return chars > MAX_TEXT_CHARS ? undefined : { columns, rows };
}

/**
 * The SELECT a leader reads workers' text answers with: each answer's values cast back to its
 * column types, answers joined by name like the Parquet files. The types and names come from
 * another querier, so both are checked before they reach SQL.
 */
export function partialRowsSql(answers: readonly PartialRows[]): string {
  return answers.map(answerSql).join(' UNION ALL BY NAME ');
}

function answerSql({ columns, rows }: PartialRows): string {
  for (const c of columns)
    if (!TEXT_TYPES.test(c.type))
      throw new AppError('INTERNAL', `a partial answer's column type: ${c.type}`);
  const picks = columns.map((c, i) => `CAST(c${i} AS ${c.type}) AS ${quoteIdent(c.name)}`);
  if (rows.length === 0) {
    const nulls = columns.map((c, i) => `CAST(NULL AS ${c.type}) AS c${i}`).join(', ');
    return `SELECT ${picks.join(', ')} FROM (SELECT ${nulls}) WHERE false`;
  }
  const tuples = rows.map((row) => {
    if (row.length !== columns.length)
      throw new AppError('INTERNAL', 'a partial answer row has the wrong width');
    return `(${row.map((v) => (v === null ? 'NULL' : quoteLiteral(v))).join(', ')})`;
  });
  const names = columns.map((_, i) => `c${i}`).join(', ');
  return `SELECT ${picks.join(', ')} FROM (VALUES ${tuples.join(', ')}) AS v(${names})`;
}
