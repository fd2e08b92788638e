import { AppError } from '@o2/errors';

/**
 * Alert conditions, read once from either of O2's two shapes into one tree:
 * - v1: `{"and":[…]}`, `{"or":[…]}`, `{"not":…}` or a bare list of leaves (all must hold);
 * - v2: `{"version":2,"conditions":{"filterType":"group","logicalOperator":"AND","conditions":[…]}}`
 *   where a group's `logicalOperator` joins all of its items.
 * The tree becomes a SQL WHERE (scheduled alerts) or is evaluated on a record (real-time alerts);
 * both give the same answer for the same row.
 */
export type ConditionOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'not_contains';

export type ConditionValue = string | number | boolean;

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | {
      kind: 'leaf';
      column: string;
      operator: ConditionOperator;
      value: ConditionValue;
      ignoreCase: boolean;
    };

const MAX_DEPTH = 16;
const MAX_LEAVES = 256;

const OPERATORS: Record<string, ConditionOperator> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  contains: 'contains',
  notcontains: 'not_contains',
  not_contains: 'not_contains',
};

/** O2's operator spellings (`=`, `Contains`, `NotContains`, `not_contains` …) as one. */
export function parseOperator(value: unknown): ConditionOperator {
  const key = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const op = OPERATORS[key];
  if (op === undefined)
    throw AppError.invalidArgument(`Invalid condition operator: ${JSON.stringify(value)}`);
  return op;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function leaf(raw: Record<string, unknown>): Condition {
  const column = raw['column'];
  if (typeof column !== 'string' || column.trim() === '')
    throw AppError.invalidArgument('Condition column must be a non-empty string');
  const value = raw['value'];
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw AppError.invalidArgument(`Condition value of ${column} must be a string or a number`);
  return {
    kind: 'leaf',
    column,
    operator: parseOperator(raw['operator']),
    value,
    ignoreCase: raw['ignore_case'] === true,
  };
}

function groupOp(value: unknown): 'and' | 'or' {
  const v = typeof value === 'string' ? value.toLowerCase() : 'and';
  if (v === 'and' || v === 'or') return v;
  throw AppError.invalidArgument(`Invalid logical operator: ${JSON.stringify(value)}`);
}

function readV2(raw: unknown, depth: number, count: { leaves: number }): Condition {
  if (depth > MAX_DEPTH) throw AppError.invalidArgument('Conditions are nested too deeply');
  if (!isObject(raw)) throw AppError.invalidArgument('Each v2 condition must be an object');
  if (raw['filterType'] !== 'group') {
    if (++count.leaves > MAX_LEAVES) throw AppError.invalidArgument('Too many conditions');
    return leaf(raw);
  }
  const items = raw['conditions'];
  if (!Array.isArray(items)) throw AppError.invalidArgument('A condition group needs conditions');
  // The group's operator joins every item at its level (O2's UI sets it per level).
  const op = groupOp(raw['logicalOperator']);
  return { kind: op, items: items.map((item) => readV2(item, depth + 1, count)) };
}

function readV1(raw: unknown, depth: number, count: { leaves: number }): Condition {
  if (depth > MAX_DEPTH) throw AppError.invalidArgument('Conditions are nested too deeply');
  if (Array.isArray(raw))
    return { kind: 'and', items: raw.map((item) => readV1(item, depth + 1, count)) };
  if (!isObject(raw)) throw AppError.invalidArgument('Conditions must be objects or lists');
  for (const key of ['and', 'or'] as const) {
    if (key in raw) {
      const items = raw[key];
      if (!Array.isArray(items)) throw AppError.invalidArgument(`"${key}" must be a list`);
      return { kind: key, items: items.map((item) => readV1(item, depth + 1, count)) };
    }
  }
  if ('not' in raw) return { kind: 'not', item: readV1(raw['not'], depth + 1, count) };
  if (++count.leaves > MAX_LEAVES) throw AppError.invalidArgument('Too many conditions');
  return leaf(raw);
}

/** Either shape (absent or empty: no condition, every row matches). */
export function parseConditions(raw: unknown): Condition {
  if (raw === undefined || raw === null) return { kind: 'and', items: [] };
  const count = { leaves: 0 };
  if (isObject(raw) && raw['version'] === 2) return readV2(raw['conditions'], 0, count);
  return readV1(raw, 0, count);
}

// ------------------------------------------------------------------------------- to SQL

/** A column name as a quoted SQL identifier. */
export function quoteIdent(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (/[\u0000-\u001f]/.test(name)) throw AppError.invalidArgument(`Invalid column name: ${name}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string as a SQL literal (quotes doubled; backslashes are plain characters in SQL). */
export function quoteString(value: string): string {
  if (value.includes('\u0000')) throw AppError.invalidArgument('Values may not contain NUL');
  return `'${value.replace(/'/g, "''")}'`;
}

function literal(value: ConditionValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw AppError.invalidArgument('Condition values must be finite');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return quoteString(value);
}

const likeEscape = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function leafSql(c: Extract<Condition, { kind: 'leaf' }>): string {
  const column = quoteIdent(c.column);
  const text = String(c.value);
  if (c.operator === 'contains' || c.operator === 'not_contains') {
    const not = c.operator === 'not_contains' ? 'NOT ' : '';
    const pattern = quoteString(`%${likeEscape(c.ignoreCase ? text.toLowerCase() : text)}%`);
    const subject = c.ignoreCase ? `LOWER(CAST(${column} AS VARCHAR))` : column;
    return `${subject} ${not}LIKE ${pattern}`;
  }
  if (c.ignoreCase && typeof c.value === 'string')
    return `LOWER(CAST(${column} AS VARCHAR)) ${c.operator} ${quoteString(text.toLowerCase())}`;
  return `${column} ${c.operator} ${literal(c.value)}`;
}

/** The tree as a SQL boolean expression (`true` for no condition). */
export function conditionSql(c: Condition): string {
  switch (c.kind) {
    case 'leaf':
      return leafSql(c);
    case 'not':
      return `NOT (${conditionSql(c.item)})`;
    case 'and':
    case 'or':
      if (c.items.length === 0) return 'true';
      return c.items.map((item) => `(${conditionSql(item)})`).join(` ${c.kind.toUpperCase()} `);
  }
}

// ------------------------------------------------------------------------- on a record

function scalar(value: unknown): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return JSON.stringify(value);
}

function compare(raw: unknown, op: ConditionOperator, right: ConditionValue, ic: boolean) {
  const left = scalar(raw);
  if (left === undefined) return op === '!=' || op === 'not_contains';
  if (op === 'contains' || op === 'not_contains') {
    const l = ic ? String(left).toLowerCase() : String(left);
    const r = ic ? String(right).toLowerCase() : String(right);
    return l.includes(r) === (op === 'contains');
  }
  let l: string | number | boolean = left;
  let r: string | number | boolean = right;
  if (typeof left === 'number' || typeof right === 'number') {
    const ln = Number(left);
    const rn = Number(right);
    if (Number.isNaN(ln) || Number.isNaN(rn)) {
      l = String(left);
      r = String(right);
    } else {
      l = ln;
      r = rn;
    }
  } else if (typeof left !== 'boolean' || typeof right !== 'boolean') {
    l = ic ? String(left).toLowerCase() : String(left);
    r = ic ? String(right).toLowerCase() : String(right);
  }
  return compareValues(l, op, r);
}

/** `left op right` for the six comparison operators (contains is handled by the caller). */
export function compareValues<T extends string | number | boolean>(
  left: T,
  op: ConditionOperator,
  right: T,
): boolean {
  switch (op) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case 'contains':
      return String(left).includes(String(right));
    case 'not_contains':
      return !String(left).includes(String(right));
  }
}

/** Whether a (flattened) record meets the tree; real-time alerts use this on ingest. */
export function matchesRecord(c: Condition, record: Readonly<Record<string, unknown>>): boolean {
  switch (c.kind) {
    case 'leaf':
      return compare(record[c.column], c.operator, c.value, c.ignoreCase);
    case 'not':
      return !matchesRecord(c.item, record);
    case 'and':
      return c.items.every((item) => matchesRecord(item, record));
    case 'or':
      return c.items.length === 0 || c.items.some((item) => matchesRecord(item, record));
  }
}
