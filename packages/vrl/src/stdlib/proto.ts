// parse_proto / encode_proto: protobuf messages by a FileDescriptorSet file (`protoc
// --descriptor_set_out`), through protobufjs. Like parse_etld's list, the file is read only
// through a reader the embedder passes (`protoFunctions(read)`); the stdlib refuses every file.
import { createRequire } from 'node:module';
import { fromBytes, toBytes } from '../bytes.js';
import { fn, functionError, str, withArgCheck, type VrlFunction } from '../function.js';
import { fromJson, isObject, toJson, type Value } from '../value.js';

interface PbField {
  name: string;
  type: string;
  map?: boolean;
  resolvedType: unknown;
}
interface PbType {
  fieldsArray: PbField[];
  decode(b: Uint8Array): unknown;
  encode(m: unknown): { finish(): Uint8Array };
  fromObject(o: unknown): unknown;
  toObject(m: unknown, o: Record<string, unknown>): Record<string, unknown>;
}
interface PbRoot {
  lookupType(name: string): PbType;
}

const require = createRequire(import.meta.url);
let pb: { Root: { fromDescriptor(b: Uint8Array): PbRoot } } | undefined;

function loadRoot(bytes: Buffer): PbRoot {
  if (pb === undefined) {
    pb = require('protobufjs') as NonNullable<typeof pb>;
    require('protobufjs/ext/descriptor');
  }
  return pb.Root.fromDescriptor(bytes);
}

/** Bytes fields come back as Uint8Array: VRL keeps them as bytes (strings). */
function toValue(v: unknown): Value {
  if (v instanceof Uint8Array) return fromBytes(Buffer.from(v));
  if (Array.isArray(v)) return v.map(toValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toValue(x);
    return fromJson(out);
  }
  return fromJson(v);
}

/** VRL bytes for a `bytes` field become a Buffer (protobufjs would read a string as base64). */
function prepare(t: PbType, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const f of t.fieldsArray) {
    const x = out[f.name];
    if (x === undefined || f.map === true) continue;
    const one = (y: unknown): unknown => {
      if (f.type === 'bytes' && typeof y === 'string') return toBytes(y);
      const sub = f.resolvedType as PbType | null;
      return sub !== null && Array.isArray(sub.fieldsArray) ? prepare(sub, y) : y;
    };
    out[f.name] = Array.isArray(x) ? x.map(one) : one(x);
  }
  return out;
}

export function protoFunctions(read?: (path: string) => Buffer | undefined): VrlFunction[] {
  const roots = new Map<string, PbRoot | string>();
  const root = (path: string): PbRoot => {
    let r = roots.get(path);
    if (r === undefined) {
      let bytes: Buffer | undefined;
      try {
        bytes = read?.(path);
      } catch {
        bytes = undefined;
      }
      if (bytes === undefined) r = 'Unable to read descriptor file';
      else {
        try {
          r = loadRoot(bytes);
        } catch (err) {
          r = `Unable to parse descriptor file: ${(err as Error).message}`;
        }
      }
      if (roots.size < 64) roots.set(path, r);
    }
    if (typeof r === 'string') throw functionError(r);
    return r;
  };
  const type = (path: string, name: string): PbType => {
    try {
      return root(path).lookupType(name);
    } catch (err) {
      throw functionError((err as Error).message);
    }
  };
  const check = ([, path, name]: (Value | undefined)[]): string | undefined => {
    if (typeof path !== 'string' || typeof name !== 'string') return undefined;
    try {
      type(path, name);
      return undefined;
    } catch (err) {
      return `invalid argument "desc_file": ${(err as Error).message}`;
    }
  };
  return [
    withArgCheck(
      fn(
        'parse_proto',
        ['value:string', 'desc_file:string', 'message_type:string'],
        ([v, p, n]) => {
          const t = type(str(p), str(n));
          try {
            const msg = t.decode(toBytes(str(v)));
            return toValue(t.toObject(msg, { longs: Number, enums: String, bytes: Buffer }));
          } catch (err) {
            throw functionError(`Error parsing protobuf: ${(err as Error).message}`);
          }
        },
        { fallible: true },
      ),
      check,
    ),
    withArgCheck(
      fn(
        'encode_proto',
        ['value:object', 'desc_file:string', 'message_type:string'],
        ([v, p, n]) => {
          const t = type(str(p), str(n));
          if (!isObject(v ?? null)) throw functionError('expected object');
          try {
            return fromBytes(
              Buffer.from(t.encode(t.fromObject(prepare(t, toJson(v ?? null)))).finish()),
            );
          } catch (err) {
            throw functionError(`Error encoding protobuf: ${(err as Error).message}`);
          }
        },
        { fallible: true },
      ),
      check,
    ),
  ];
}
