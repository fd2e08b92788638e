import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@o2/errors';
import type { StatementResult } from './run-gate.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import { TextMemo } from './text-memo.js';

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

/** What `partialResult` runs statements with (the engine's, under its gate and deadline). */
export interface PartialDeps {
  dir: string;
  run(sql: string): Promise<void>;
  /** Absent: the answer is always Parquet. */
  read?: <T>(sql: string, read: (result: StatementResult) => Promise<T>) => Promise<T>;
  /**
   * Partials (by the key the caller gives) whose last answer was Parquet: their next run goes
   * straight to Parquet instead of computing the result once more for the text attempt.
   */
  parquetAnswers?: { has(key: string): boolean; add(key: string): void };
}

/** A bounded `parquetAnswers` (500 partials, 2 M characters of SQL, least recent dropped). */
export function parquetAnswerMemo(): NonNullable<PartialDeps['parquetAnswers']> {
  const memo = new TextMemo<true>(500, 2_000_000);
  return { has: (key) => memo.get(key) === true, add: (key) => memo.set(key, true) };
}

/**
 * Runs a checked partial's SQL and answers its rows as text when they are few and of text-safe
 * types, else as Parquet (DuckDB's writer). The first run reads at most one row past the text
 * limit, so only a result found too large runs again, into Parquet: an aggregate with many
 * groups is computed twice, while a plain row scan stops at the limit the first time. With
 * `key`, a partial found too large (or not text-safe) is noted in `deps.parquetAnswers`, and its
 * next runs skip the text attempt: a repeated high-cardinality group-by is computed once.
 */
export async function partialResult(
  deps: PartialDeps,
  sql: string,
  key?: string,
): Promise<PartialResult> {
  const known = key !== undefined && deps.parquetAnswers?.has(key) === true;
  const limited = `SELECT * FROM (${sql}) LIMIT ${MAX_TEXT_ROWS + 1}`;
  const rows = deps.read === undefined || known ? undefined : await deps.read(limited, asText);
  if (rows !== undefined) return { rows };
  if (key !== undefined && deps.read !== undefined) deps.parquetAnswers?.add(key);
  const path = join(deps.dir, `${randomUUID()}.parquet`);
  try {
    await deps.run(`COPY (${sql}) TO ${quoteLiteral(path)} (FORMAT parquet)`);
    return { parquet: new Uint8Array(await readFile(path)) };
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * The result as text, or undefined when it is not small or not all of text-safe types. The
 * client's values print as DuckDB's text: numbers shortest round-trip, bigints in full, and
 * DECIMAL, DATE and TIMESTAMP values through their DuckDB text.
 */
async function asText(result: StatementResult): Promise<PartialRows | undefined> {
  const names = result.columnNames();
  const types = result.columnTypes().map(String);
  const columns = names.map((name, i) => ({ name, type: types[i] ?? '' }));
  if (columns.length === 0 || new Set(names).size !== names.length) return undefined;
  if (!columns.every((c) => TEXT_TYPES.test(c.type))) return undefined;
  const values = await result.getRows();
  if (values.length > MAX_TEXT_ROWS) return undefined;
  let chars = 0;
  const rows = values.map((row) =>
    row.map((v) => {
      if (v === null) return null;
      const text = String(v);
      chars += text.length;
      return text;
    }),
  );
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
