import { z } from 'zod';

/**
 * Builders for one setting each. Environment values are strings, so every builder coerces; each
 * records a description and the default as written in the README settings table.
 */

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', '']);

export interface SettingMeta {
  description: string;
  default: string;
  secret?: boolean;
}

function withMeta<T extends z.ZodType>(schema: T, meta: SettingMeta): T {
  return schema.meta({
    description: meta.description,
    o2Default: meta.default,
    secret: meta.secret ?? false,
  });
}

export function str(defaultValue: string, description: string, options: { secret?: boolean } = {}) {
  return withMeta(z.string().trim().default(defaultValue), {
    description,
    default: defaultValue === '' ? '""' : defaultValue,
    ...options,
  });
}

export function int(
  defaultValue: number,
  description: string,
  options: { min?: number; max?: number } = {},
) {
  let base = z.coerce.number().int();
  if (options.min !== undefined) base = base.min(options.min);
  if (options.max !== undefined) base = base.max(options.max);
  return withMeta(
    z.preprocess((v) => (v === '' ? undefined : v), base.default(defaultValue)),
    { description, default: String(defaultValue) },
  );
}

export function bool(defaultValue: boolean, description: string) {
  const parsed = z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const word = v.trim().toLowerCase();
    if (word === '') return undefined;
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return v; // not a boolean word: let z.boolean() report it
  }, z.boolean().default(defaultValue));
  return withMeta(parsed, { description, default: String(defaultValue) });
}

export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  defaultValue: T[number],
  description: string,
) {
  return withMeta(
    z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
      z.enum(values).default(defaultValue),
    ),
    {
      description: `${description} One of: ${values.join(', ')}.`,
      default: defaultValue === '' ? '""' : defaultValue,
    },
  );
}

/** Reads the metadata recorded by the builders above (for the README table). */
export function settingMeta(schema: z.ZodType): SettingMeta | undefined {
  const meta = schema.meta() as
    { description?: string; o2Default?: string; secret?: boolean } | undefined;
  if (meta?.description === undefined || meta.o2Default === undefined) return undefined;
  return { description: meta.description, default: meta.o2Default, secret: meta.secret ?? false };
}
