import { z } from 'zod';
import { AppError } from '@o2/errors';
import type { ErrorCode } from '@o2/errors';

/** The message when the body is an array or a scalar instead of an object. */
export const NOT_AN_OBJECT = 'Request body must be a JSON object';

/**
 * Messages in the schemas are either a predicate about the field ("must be an integer"), which
 * the formatter prefixes with the field's dotted path, or a complete sentence ("Invalid email")
 * shown as it is. A predicate starts with one of these words.
 */
const PREDICATE = /^(must|is|are)\b/;

/**
 * Issues a schema gives no message for still read as O2-style predicates, never as zod's own
 * wording ("Invalid input: expected string, received number").
 */
const fallbackMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'nonoptional') return 'is required';
      return `must be ${issue.expected === 'array' ? 'a list' : `of type ${issue.expected}`}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'custom':
    case 'invalid_element':
    case 'invalid_format':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return 'is invalid';
  }
};

/** One issue as an O2 error message: `query.end_time must be an integer`. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path !== '' && PREDICATE.test(issue.message) ? `${path} ${issue.message}` : issue.message;
}

/**
 * The body parsed by `schema`; the first problem found is thrown as an `AppError` (400 unless
 * the route family answers shape errors otherwise, as stream settings do with 422).
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  code: ErrorCode = 'INVALID_ARGUMENT',
): z.output<S> {
  const result = schema.safeParse(body, { error: fallbackMessages });
  if (result.success) return result.data;
  const [first] = result.error.issues;
  throw new AppError(code, first === undefined ? 'Invalid request body' : issueMessage(first));
}

/** A field that may be absent or null (O2's `Option<T>`), read as undefined then. */
export function optional<S extends z.ZodType>(schema: S) {
  return schema.nullish().transform((value) => value ?? undefined);
}

/** A JSON object body with `shape`; unknown keys are dropped, as O2's deserializer ignores them. */
export function bodyObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.object(shape, { error: NOT_AN_OBJECT });
}

/** Shared field schemas, each carrying the message the router has always given. */
export const fields = {
  string: () => z.string({ error: 'must be a string' }),
  boolean: () => z.boolean({ error: 'must be true or false' }),
  integer: (message = 'must be an integer') => z.int({ error: message }),
};
