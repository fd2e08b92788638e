import { AppError, isAppError } from '@o2/errors';
import type { ErrorCode } from '@o2/errors';

export type SqlDialect = 'sqlite' | 'postgres';

/** A bound parameter. Booleans are stored as 0/1 in SQLite and BOOLEAN in Postgres. */
export type SqlValue = string | number | boolean | null;

export type SqlRow = Record<string, unknown>;

/**
 * The few operations the repositories need, the same on both dialects. SQL is written once with
 * Postgres-style `$1` placeholders; the SQLite adapter rewrites them. Every value is bound as a
 * parameter: SQL text is only ever built from constants and placeholder lists.
 *
 * Errors come out as AppError: a unique violation is ALREADY_EXISTS, a foreign-key violation
 * NOT_FOUND, a lost or refused connection UNAVAILABLE, anything else INTERNAL.
 */
export interface SqlExecutor {
  readonly dialect: SqlDialect;
  /** Rows of a SELECT or of a statement with RETURNING. */
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Number of rows the statement changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** A parameterless script of one or more statements (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /**
   * Runs `fn` in one transaction, committed when it resolves and rolled back when it throws.
   * Statements inside must go through the `tx` executor handed to `fn`.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * An integer column as a JS number. pg returns BIGINT and SUM() as strings; values up to 2^53
 * (µs timestamps, byte counts) convert exactly, anything larger would silently round, so it is
 * refused instead.
 */
export function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw AppError.internal(`metastore returned a non-integer or unsafe integer: ${String(value)}`);
  }
  return n;
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

/** A JSON column: pg parses json/jsonb itself, SQLite hands back the text. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** `($1, $2, $3), ($4, $5, $6)` for `rows` tuples of `width` values, numbering from `first`. */
export function placeholders(rows: number, width: number, first = 1): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const start = first + r * width;
    tuples.push(`(${Array.from({ length: width }, (_, i) => `$${start + i}`).join(', ')})`);
  }
  return tuples.join(', ');
}

/** Splits `items` into chunks so a multi-row statement stays under both dialects' parameter caps. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Re-raises an AppError of `code` as the caller's more specific error (e.g. a named conflict). */
export async function recode<T>(
  operation: Promise<T>,
  code: ErrorCode,
  replacement: (cause: AppError) => AppError,
): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (isAppError(error) && error.code === code) throw replacement(error);
    throw error;
  }
}

/** The one row a RETURNING statement must produce. */
export function onlyRow(rows: readonly SqlRow[]): SqlRow {
  const row = rows[0];
  if (row === undefined) throw AppError.internal('metastore statement returned no row');
  return row;
}
