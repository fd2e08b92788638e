import { z } from 'zod';
import { STREAM_TYPES } from '@o2/domain';
import type { FunctionDefinition } from '@o2/domain';
import { AppError } from '@o2/errors';
import { bodyObject, fields, optional } from '../http/parse-body.js';

/** Longest source a function may have (O2 keeps them in one metadata row). */
export const MAX_FUNCTION_SOURCE = 256 * 1024;
/** Most events one `/functions/test` call may run. */
export const MAX_TEST_EVENTS = 1000;

/**
 * A function name is an identifier (functions with arguments become SQL functions under their
 * name): a letter or `_`, then letters, digits and `_`, at most 256 characters.
 */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

export function checkFunctionName(name: string): string {
  if (!FUNCTION_NAME.test(name))
    throw AppError.invalidArgument(
      'Invalid function name: use letters, digits and _ (not starting with a digit), at most 256',
    );
  return name;
}

const source = fields
  .string()
  .max(MAX_FUNCTION_SOURCE, { error: `must be at most ${String(MAX_FUNCTION_SOURCE)} characters` });

const transType = z.union([z.literal(0), z.literal(1)], { error: 'must be 0 (VRL) or 1 (JS)' });

const streamOrder = z.object(
  {
    stream: fields.string(),
    order: fields.integer(),
    streamType: z.enum(STREAM_TYPES, { error: 'must be a stream type' }),
    isRemoved: optional(fields.boolean()).transform((v) => v ?? false),
    applyBeforeFlattening: optional(fields.boolean()).transform((v) => v ?? false),
  },
  { error: 'must be an object' },
);

/** O2's `Transform` as POST/PUT `/functions` take it (camelCase). */
export const functionBody = bodyObject({
  name: fields.string(),
  function: source,
  params: optional(fields.string().max(1024)).transform((v) => v ?? 'row'),
  numArgs: optional(fields.integer().min(0).max(64)).transform((v) => v ?? 0),
  transType: optional(transType).transform((v) => v ?? 0),
  streams: optional(z.array(streamOrder, { error: 'must be a list' }).max(1000)),
});

export function definitionOf(body: z.output<typeof functionBody>): FunctionDefinition {
  const def: FunctionDefinition = {
    name: checkFunctionName(body.name),
    function: body.function,
    params: body.params,
    numArgs: body.numArgs,
    transType: body.transType,
  };
  if (body.streams !== undefined) def.streams = body.streams;
  return def;
}

/** `POST /functions/test` (snake_case `trans_type`, as O2's TestVRLRequest). */
export const functionTestBody = bodyObject({
  function: source,
  events: z
    .array(z.unknown(), { error: 'must be a list' })
    .max(MAX_TEST_EVENTS, { error: `must hold at most ${String(MAX_TEST_EVENTS)} events` }),
  trans_type: optional(transType).transform((v) => v ?? 0),
});
