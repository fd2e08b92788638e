import { AppError } from '@o2/errors';
import type { FlatRecord, JsonObject } from './flat-record.js';
import { isJsonObject, setField } from './flat-record.js';
import type { KeyCache } from './key-cache.js';
import { sharedKeyCache } from './key-cache.js';
import { toJsonText } from './to-json-text.js';

/** O2's default `ZO_INGEST_FLATTEN_LEVEL`. */
export const DEFAULT_FLATTEN_LEVEL = 3;

export const FLATTEN_NOT_OBJECT = 'flatten value must be an object';

/**
 * Even "unlimited" (level 0) stops here and keeps deeper objects as JSON text: every level adds
 * a cached key prefix, so hostile nesting would otherwise cost O(depth²) memory and then the
 * stack.
 */
export const MAX_FLATTEN_DEPTH = 128;

export interface FlattenOptions {
  /** Objects found at this depth or deeper are kept as a JSON string; 0 means unlimited. */
  maxLevel?: number;
  /** Key memo; defaults to a process-wide bounded cache. */
  keyCache?: KeyCache;
}

/**
 * O2's flattening: nested objects joined with `_`, keys formatted, arrays kept as their JSON
 * text, nulls and empty objects/arrays dropped, objects at depth ≥ `maxLevel` stored as JSON
 * text under the path so far. When two keys format to the same name (`a.b` and `a_b`) the
 * one met last in the input's key order wins.
 *
 * Throws INVALID_ARGUMENT "flatten value must be an object" for a non-object input.
 */
export function flattenRecord(value: unknown, options: FlattenOptions = {}): FlatRecord {
  if (!isJsonObject(value)) throw AppError.invalidArgument(FLATTEN_NOT_OBJECT);
  const out: FlatRecord = {};
  flattenInto(
    value,
    out,
    options.maxLevel ?? DEFAULT_FLATTEN_LEVEL,
    options.keyCache ?? sharedKeyCache(),
  );
  return out;
}

/**
 * Writes the flattened form of `value` into `out` and returns how many assignments it made
 * (an upper bound of the key count, exact unless keys collided) so callers can apply the
 * column cap without counting keys again.
 */
export function flattenInto(
  value: JsonObject,
  out: FlatRecord,
  maxLevel: number,
  keys: KeyCache,
): number {
  const level = maxLevel > 0 && maxLevel < MAX_FLATTEN_DEPTH ? maxLevel : MAX_FLATTEN_DEPTH;
  return walk(value, undefined, keys.topTable(), 0, level, out, keys);
}

function walk(
  obj: JsonObject,
  prefix: string | undefined,
  table: Map<string, string>,
  depth: number,
  maxLevel: number,
  out: FlatRecord,
  keys: KeyCache,
): number {
  let written = 0;
  // A child object sits one level below `obj`; O2 stringifies it once that level reaches max.
  const childTooDeep = depth + 1 >= maxLevel;
  for (const raw in obj) {
    const v = obj[raw];
    if (v === null || v === undefined) continue;
    let key = table.get(raw);
    if (key === undefined) key = keys.add(table, prefix, raw);
    switch (typeof v) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'bigint':
        setField(out, key, v);
        written++;
        break;
      case 'object':
        if (Array.isArray(v)) {
          if (v.length > 0) {
            setField(out, key, toJsonText(v));
            written++;
          }
        } else if (childTooDeep) {
          if (!isEmptyObject(v)) {
            setField(out, key, toJsonText(v));
            written++;
          }
        } else {
          written += walk(
            v as JsonObject,
            key,
            keys.nestedTable(key),
            depth + 1,
            maxLevel,
            out,
            keys,
          );
        }
        break;
      case 'undefined':
      case 'function':
      case 'symbol':
        // cannot come out of a JSON decoder; dropped like nulls
        break;
    }
  }
  return written;
}

function isEmptyObject(v: object): boolean {
  for (const _ in v) return false;
  return true;
}
