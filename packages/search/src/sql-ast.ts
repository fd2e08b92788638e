import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { fromEngineError, SEARCH_ERROR, searchError } from './search-error.js';
import { memoText, TextMemo } from './text-memo.js';

/**
 * DuckDB's own parser, reached through `json_serialize_sql`, gives us the statement as JSON; we
 * rewrite that tree and print it back with `json_deserialize_sql`. User text therefore only ever
 * reaches the final SQL as what DuckDB's printer makes of a parsed literal or identifier.
 */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Any node of the tree (expressions, table refs, query nodes): an object with a `type`. */
export type AstNode = JsonObject;

export function isNode(value: Json | undefined): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(node: AstNode, key: string): string {
  const value = node[key];
  return typeof value === 'string' ? value : '';
}

export function list(node: AstNode, key: string): Json[] {
  const value = node[key];
  return Array.isArray(value) ? value : [];
}

/** Integers JSON.parse cannot hold exactly travel as marked strings (nonce: users cannot forge). */
const BIG_INT_MARK = `\u0001o2int${randomBytes(6).toString('hex')}:`;
const BIG_INT_RESTORE = new RegExp(`"\\\\u0001${BIG_INT_MARK.slice(1)}(-?\\d+)"`, 'g');

function protectBigIntegers(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      if (/^-?\d{16,}$/.test(token)) {
        out += `${text.slice(last, i)}${JSON.stringify(BIG_INT_MARK + token)}`;
        last = j;
      }
      i = j - 1;
    }
  }
  return out + text.slice(last);
}

function stripLocations(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripLocations);
  if (!isNode(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    // Positions are u64 (often u64::MAX); the printer does not need them.
    if (key === 'query_location') continue;
    out[key] = stripLocations(child);
  }
  return out;
}

export function parseAstJson(text: string): Json {
  return stripLocations(JSON.parse(protectBigIntegers(text)) as Json);
}

export function stringifyAstJson(value: Json): string {
  return JSON.stringify(value).replace(BIG_INT_RESTORE, '$1');
}

interface SerializedSql {
  error: boolean;
  error_message?: string;
  error_type?: string;
  statements?: Array<{ node: AstNode; named_param_map: Json }>;
}

/**
 * DuckDB's answers per text, process-wide: each parse or print is three thread-pool round trips
 * (extract, prepare, run) that a busy box stretches to milliseconds, and a repeated query (a
 * dashboard refresh, an alert, the same search over a moving window) asks the same questions.
 * The parse is kept as DuckDB's JSON text, so every caller still gets a tree of its own.
 */
const PARSED = new TextMemo<string>(1000, 16_000_000);
const PRINTED = new TextMemo<string>(1000, 16_000_000);

/** Parses exactly one SELECT statement; anything else is invalid SQL (20001). */
export async function parseSelect(conn: DuckDBConnection, sql: string): Promise<AstNode> {
  const statements = await parseStatements(conn, sql);
  if (statements.length !== 1) {
    throw searchError(SEARCH_ERROR.invalidSql, 'exactly one SELECT statement is allowed');
  }
  return statements[0]!;
}

export async function parseStatements(conn: DuckDBConnection, sql: string): Promise<AstNode[]> {
  if (sql.includes('\0')) throw searchError(SEARCH_ERROR.invalidSql, 'SQL contains NUL');
  let text: string;
  try {
    text = await memoText(PARSED, sql, async () => {
      const reader = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [sql]);
      return String(reader.getRows()[0]?.[0] ?? '');
    });
  } catch (err) {
    throw fromEngineError(err);
  }
  const parsed = parseAstJson(text) as unknown as SerializedSql;
  if (parsed.error) {
    const reason = parsed.error_message ?? 'cannot parse SQL';
    const detail = /Only SELECT statements/.test(reason)
      ? 'only SELECT statements are allowed'
      : reason;
    throw searchError(SEARCH_ERROR.invalidSql, detail);
  }
  return (parsed.statements ?? []).map((s) => s.node);
}

/** Prints one statement back to SQL text. */
export async function printSelect(conn: DuckDBConnection, node: AstNode): Promise<string> {
  const json = stringifyAstJson({
    error: false,
    statements: [{ node, named_param_map: [] }],
  });
  try {
    return await memoText(PRINTED, json, async () => {
      const reader = await conn.runAndReadAll('SELECT json_deserialize_sql($1::JSON) AS s', [json]);
      return String(reader.getRows()[0]?.[0] ?? '');
    });
  } catch (err) {
    throw searchError(SEARCH_ERROR.invalidSql, 'cannot print the rewritten query', {
      code: 'INTERNAL',
      engineError: err,
    });
  }
}

/** Rebuilds a tree bottom-up: `fn` sees every object after its children were mapped. */
export function mapTree(value: Json, fn: (node: AstNode) => Json): Json {
  if (Array.isArray(value)) return value.map((v) => mapTree(v, fn));
  if (!isNode(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) out[key] = mapTree(child, fn);
  return fn(out);
}

/** Visits every object of the tree, parents first. */
export function visitTree(value: Json, fn: (node: AstNode) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) visitTree(v, fn);
    return;
  }
  if (!isNode(value)) return;
  fn(value);
  for (const child of Object.values(value)) visitTree(child, fn);
}

export function cloneTree<T extends Json>(value: T): T {
  return structuredClone(value);
}

/** A VARCHAR constant's text, or undefined when the node is anything else. */
export function stringConstant(node: Json | undefined): string | undefined {
  if (!isNode(node) || str(node, 'class') !== 'CONSTANT') return undefined;
  const value = node.value;
  if (!isNode(value) || value.is_null === true) return undefined;
  const type = value.type;
  if (!isNode(type) || str(type, 'id') !== 'VARCHAR') return undefined;
  return typeof value.value === 'string' ? value.value : undefined;
}

/** An integer constant's value (a number) or undefined. */
export function integerConstant(node: Json | undefined): number | undefined {
  if (!isNode(node)) return undefined;
  if (str(node, 'class') === 'CAST') return integerConstant(node.child);
  if (str(node, 'class') !== 'CONSTANT') return undefined;
  const value = node.value;
  if (!isNode(value) || value.is_null === true) return undefined;
  const raw = value.value;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string' && raw.startsWith(BIG_INT_MARK)) {
    return Number(raw.slice(BIG_INT_MARK.length));
  }
  return undefined;
}

/** A BIGINT constant node. */
export function bigintConstant(value: number): AstNode {
  return {
    class: 'CONSTANT',
    type: 'VALUE_CONSTANT',
    alias: '',
    value: { type: { id: 'BIGINT', type_info: null }, is_null: false, value },
  };
}

export function columnRef(...names: string[]): AstNode {
  return { class: 'COLUMN_REF', type: 'COLUMN_REF', alias: '', column_names: names };
}

/** A plain call `name(children…)` (no DISTINCT, FILTER or ORDER BY), as DuckDB serialises it. */
export function functionCall(name: string, children: Json[]): AstNode {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias: '',
    function_name: name,
    schema: '',
    children,
    filter: null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct: false,
    is_operator: false,
    export_state: false,
    catalog: '',
  };
}
