// JSON Schema validation with Ajv (+ ajv-formats), loaded on first use. The draft follows the
// schema's `$schema` (2020-12, 2019-09, else draft-07); errors read like VRL's.
import { createRequire } from 'node:module';
import type { Ajv as AjvCore, ErrorObject, ValidateFunction } from 'ajv';
import { functionError } from '../function.js';

type AjvClass = new (opts: Record<string, unknown>) => AjvCore;
const require = createRequire(import.meta.url);

function ajvFor(schema: unknown, ignoreUnknownFormats: boolean): AjvCore {
  const id =
    typeof schema === 'object' && schema !== null
      ? (schema as { $schema?: unknown }).$schema
      : undefined;
  const file =
    typeof id === 'string' && id.includes('2020-12')
      ? 'ajv/dist/2020'
      : typeof id === 'string' && id.includes('2019-09')
        ? 'ajv/dist/2019'
        : 'ajv';
  const Ajv = (require(file) as { default: AjvClass }).default;
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  const addFormats = (require('ajv-formats') as { default: (a: AjvCore) => void }).default;
  addFormats(ajv);
  for (const f of formatsOf(schema)) {
    if (ajv.formats[f] !== undefined) continue;
    // Unknown formats accept any value with `ignore_unknown_formats: true`, else fail compiling.
    if (ignoreUnknownFormats) ajv.addFormat(f, true);
    else throw new Error(`unknown format "${f}"`);
  }
  return ajv;
}

function formatsOf(s: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(s)) for (const x of s) formatsOf(x, out);
  else if (typeof s === 'object' && s !== null) {
    for (const [k, v] of Object.entries(s)) {
      if (k === 'format' && typeof v === 'string') out.add(v);
      else formatsOf(v, out);
    }
  }
  return out;
}

function describe(e: ErrorObject, data: unknown): string {
  const at = e.instancePath === '' ? '/' : e.instancePath;
  let value: unknown = data;
  for (const part of e.instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    value = (value as Record<string, unknown> | undefined)?.[key];
  }
  if (e.keyword === 'format') {
    const format = (e.params as { format?: string }).format ?? '';
    return `${JSON.stringify(value)} is not a "${format}" at ${at}`;
  }
  return `${JSON.stringify(value)} ${e.message ?? 'is invalid'} at ${at}`;
}

export type SchemaCheck = (value: string) => true;

export function compileSchema(text: string, ignoreUnknownFormats: boolean): SchemaCheck {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw functionError('Failed to parse schema definition as JSON');
  }
  let validate: ValidateFunction;
  try {
    validate = ajvFor(schema, ignoreUnknownFormats).compile(schema as object);
  } catch (e) {
    const m = /unknown format "([^"]+)"/.exec((e as Error).message);
    throw functionError(
      m !== null
        ? `Failed to compile schema: Unknown format: '${m[1] as string}'. Adjust configuration to ignore unrecognized formats`
        : `Failed to compile schema: ${(e as Error).message}`,
    );
  }
  return (value) => {
    let data: unknown;
    try {
      data = JSON.parse(value);
    } catch {
      throw functionError('Failed to parse value as JSON');
    }
    if (validate(data)) return true;
    const first = validate.errors?.[0];
    throw functionError(
      `JSON schema validation failed: ${first ? describe(first, data) : 'invalid'}`,
    );
  };
}
