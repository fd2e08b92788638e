// Grok: patterns of %{NAME:field:type} over the standard set (grok-patterns.ts) and the call's
// own aliases, compiled once to one JS regular expression whose named groups are the fields.
import { fn, functionError, str, withArgCheck, type VrlFunction } from '../function.js';
import {
  getField,
  isObject,
  newObject,
  setField,
  VFloat,
  type Value,
  type VObject,
} from '../value.js';
import { GROK_PATTERNS } from './grok-patterns.js';

interface Field {
  group: string;
  name: string;
  type: string | undefined;
}

interface Compiled {
  re: RegExp;
  fields: Field[];
}

const REF =
  /%\{(\w[\w.@-]*)(?::([^:}]+))?(?::(\w+))?\}|\(\?<([A-Za-z_]\w*)>|\\.|\[(?:\\.|[^\]])*\]/g;

function expand(
  pattern: string,
  aliases: Record<string, string>,
  fields: Field[],
  depth: number,
): string {
  if (depth > 40) throw functionError('failed to parse grok expression: too deep recursion');
  return pattern.replace(
    REF,
    (m: string, name?: string, field?: string, type?: string, own?: string) => {
      if (own !== undefined) {
        const group = `g${fields.length}`;
        fields.push({ group, name: own, type: undefined });
        return `(?<${group}>`;
      }
      if (name === undefined) return m;
      const def = Object.hasOwn(aliases, name) ? aliases[name] : GROK_PATTERNS[name];
      if (def === undefined)
        throw functionError(`failed to parse grok expression: unknown pattern ${name}`);
      if (field === undefined) return `(?:${expand(def, aliases, fields, depth + 1)})`;
      const group = `g${fields.length}`;
      fields.push({ group, name: field, type });
      return `(?<${group}>${expand(def, aliases, fields, depth + 1)})`;
    },
  );
}

const cache = new Map<string, Compiled>();

export function compileGrok(
  pattern: string,
  aliases: Record<string, string> = {},
  anchored = false,
): Compiled {
  const key = `${anchored ? 'a' : 'u'}\u0000${pattern}\u0000${JSON.stringify(aliases)}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const fields: Field[] = [];
  const body = expand(pattern, aliases, fields, 0);
  let re: RegExp;
  try {
    re = new RegExp(anchored ? `^(?:${body})$` : body, 's');
  } catch (err) {
    throw functionError(`failed to parse grok expression: ${(err as Error).message}`);
  }
  const c = { re, fields };
  if (cache.size < 512) cache.set(key, c);
  return c;
}

function convert(v: string, type: string | undefined): Value {
  if (type === 'int' || type === 'integer') {
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) ? null : n;
  }
  if (type === 'float' || type === 'number') {
    const n = Number.parseFloat(v);
    if (Number.isNaN(n)) return null;
    return Number.isInteger(n) && type === 'float' ? new VFloat(n) : n;
  }
  if (type === 'boolean') return /^true$/i.test(v);
  return v;
}

function setPath(out: VObject, path: string, v: Value): void {
  const parts = path.split('.');
  let cur = out;
  for (const p of parts.slice(0, -1)) {
    const next = getField(cur, p);
    if (next !== undefined && isObject(next)) cur = next;
    else {
      const o = newObject();
      setField(cur, p, o);
      cur = o;
    }
  }
  setField(cur, parts[parts.length - 1] as string, v);
}

export function runGrok(c: Compiled, value: string, nested: boolean): VObject | undefined {
  const m = c.re.exec(value);
  if (m === null) return undefined;
  const out = newObject();
  for (const f of c.fields) {
    const v = m.groups?.[f.group];
    if (v === undefined) continue;
    if (nested) setPath(out, f.name, convert(v, f.type));
    else setField(out, f.name, convert(v, f.type));
  }
  return out;
}

function aliasesOf(a: Value | undefined): Record<string, string> {
  if (a === undefined || a === null) return {};
  if (!isObject(a)) throw functionError('aliases must be an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) {
    if (typeof v !== 'string') throw functionError(`alias ${k} must be a string`);
    out[k] = v;
  }
  return out;
}

function patternsOf(p: Value | undefined): string[] {
  if (!Array.isArray(p) || p.some((x) => typeof x !== 'string'))
    throw functionError('patterns must be an array of strings');
  return p as string[];
}

function sources(s: Value | undefined): void {
  if (Array.isArray(s) && s.length > 0) throw functionError('unable to read alias source');
}

const check =
  (f: (lits: (Value | undefined)[]) => void) =>
  (lits: (Value | undefined)[]): string | undefined => {
    try {
      f(lits);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };

export const grokFunctions: VrlFunction[] = [
  withArgCheck(
    fn(
      'parse_grok',
      ['value:string', 'pattern:string'],
      ([v, p]) => {
        const out = runGrok(compileGrok(str(p)), str(v), false);
        if (out === undefined) throw functionError('unable to parse input with grok pattern');
        return out;
      },
      { fallible: true },
    ),
    check(([, p]) => {
      if (typeof p === 'string') compileGrok(p);
    }),
  ),
  withArgCheck(
    fn(
      'parse_groks',
      ['value:string', 'patterns:array', 'aliases:object?', 'alias_sources:array?'],
      ([v, ps, a, s]) => {
        sources(s);
        const aliases = aliasesOf(a);
        const text = str(v);
        for (const p of patternsOf(ps)) {
          const out = runGrok(compileGrok(p, aliases, true), text, true);
          if (out !== undefined) return out;
        }
        throw functionError('unable to parse input with grok patterns');
      },
      { fallible: true },
    ),
    check(([, ps, a, s]) => {
      sources(s);
      if (!Array.isArray(ps)) return;
      const aliases = isObject(a ?? null) ? aliasesOf(a) : {};
      for (const p of ps) if (typeof p === 'string') compileGrok(p, aliases, true);
    }),
  ),
];
