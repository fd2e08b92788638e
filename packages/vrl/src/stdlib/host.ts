// Functions that reach outside the event: environment variables, reverse DNS and JSON schemas
// read from files. In a multi-tenant server each is a data leak or a network/file primitive, so
// the stdlib versions refuse. A host that wants one passes the factory's function in
// `compileVrl(src, { functions: [...] })`, deciding what it may see (which variables, which
// resolver, which schema directory).
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fn, FunctionError, functionError, type VrlFunction } from '../function.js';
import { compileSchema, type SchemaCheck } from './json-schema.js';

const refused = (name: string, params: string[], what: string): VrlFunction =>
  fn(
    name,
    params,
    () => {
      throw functionError(`${name} is disabled: the host has not allowed ${what}`);
    },
    { fallible: true },
  );

/** `get_env_var` reading only `vars` (pass a filtered copy of the environment). */
export function envVarFunction(vars: Readonly<Record<string, string | undefined>>): VrlFunction {
  return fn(
    'get_env_var',
    ['name:string'],
    ([name]) => {
      const v = Object.hasOwn(vars, name as string) ? vars[name as string] : undefined;
      if (v === undefined) throw functionError(`environment variable not found`);
      return v;
    },
    { fallible: true },
  );
}

/** `reverse_dns` answered by `lookup` (synchronous, e.g. from a cache); undefined = not found. */
export function reverseDnsFunction(lookup: (ip: string) => string | undefined): VrlFunction {
  return fn(
    'reverse_dns',
    ['value:string'],
    ([ip]) => {
      const name = lookup(ip as string);
      if (name === undefined)
        throw functionError(`unable to perform a lookup: no name for ${ip as string}`);
      return name;
    },
    { fallible: true },
  );
}

/** Reads schema files below `dir` only: absolute paths and `..` escapes are refused. */
export function schemaDirLoader(dir: string): (path: string) => string {
  return (path) => {
    const full = resolve(dir, path);
    const rel = relative(dir, full);
    if (isAbsolute(path) || rel.startsWith('..') || isAbsolute(rel))
      throw new FunctionError(`schema path outside the allowed directory: ${path}`);
    try {
      return readFileSync(full, 'utf8');
    } catch {
      throw new FunctionError(`unable to read schema file ${path}`);
    }
  };
}

/** `validate_json_schema` with schema definitions read by `load` (see `schemaDirLoader`). */
export function validateJsonSchemaFunction(load: (path: string) => string): VrlFunction {
  const cache = new Map<string, SchemaCheck>();
  return fn(
    'validate_json_schema',
    ['value:string', 'schema_definition:string', 'ignore_unknown_formats:boolean?'],
    ([value, path, ignore]) => {
      const key = `${ignore === true ? 1 : 0}${path as string}`;
      let check = cache.get(key);
      if (check === undefined) {
        check = compileSchema(load(path as string), ignore === true);
        cache.set(key, check);
      }
      return check(value as string);
    },
    { fallible: true },
  );
}

export const hostFunctions: VrlFunction[] = [
  refused('get_env_var', ['name:string'], 'reading environment variables'),
  refused('reverse_dns', ['value:string'], 'DNS lookups'),
  refused(
    'validate_json_schema',
    ['value:string', 'schema_definition:string', 'ignore_unknown_formats:boolean?'],
    'reading JSON schema files',
  ),
];
