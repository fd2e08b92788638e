import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@o2/errors';
import { partitionBody, searchBody } from '../routes/search-schemas.js';
import { createUserBody } from '../routes/users-schemas.js';
import { bodyObject, fields, optional, parseBody } from './parse-body.js';

function failure(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return [error.code, error.message];
    throw error;
  }
  throw new Error('expected the body to be refused');
}

const sample = bodyObject({
  name: optional(fields.string()),
  tags: optional(z.array(z.string())),
  nested: optional(bodyObject({ count: fields.integer() })),
  level: optional(z.enum(['low', 'high'])),
});

describe('parseBody', () => {
  it('reads absent and null fields as undefined and drops unknown keys', () => {
    expect(parseBody(sample, { name: null, extra: 1 })).toEqual({});
    expect(parseBody(sample, { name: 'a', nested: { count: 2 } })).toEqual({
      name: 'a',
      nested: { count: 2 },
    });
  });

  it('names the field by its dotted path in front of a predicate', () => {
    expect(failure(() => parseBody(sample, { name: 3 }))).toEqual([
      'INVALID_ARGUMENT',
      'name must be a string',
    ]);
    expect(failure(() => parseBody(sample, { nested: { count: 1.5 } }))).toEqual([
      'INVALID_ARGUMENT',
      'nested.count must be an integer',
    ]);
  });

  it("never shows zod's own wording for issues without a schema message", () => {
    const messages = [
      failure(() => parseBody(sample, { tags: 'a' }))[1],
      failure(() => parseBody(sample, { tags: [1] }))[1],
      failure(() => parseBody(sample, { level: 'mid' }))[1],
    ];
    expect(messages).toEqual([
      'tags must be a list',
      'tags.0 must be of type string',
      'level must be one of "low", "high"',
    ]);
    for (const message of messages) expect(message).not.toMatch(/Invalid input|expected/);
  });

  it('refuses arrays and scalars as the whole body, with the given status', () => {
    for (const body of [[], 'x', 1, null])
      expect(failure(() => parseBody(sample, body, 'UNPROCESSABLE'))).toEqual([
        'UNPROCESSABLE',
        'Request body must be a JSON object',
      ]);
  });

  it('keeps whole-sentence messages as they are', () => {
    const user = { email: 'a@example.com', role: 'user' };
    expect(failure(() => parseBody(createUserBody, { ...user, email: 'nope' }))[1]).toBe(
      'Invalid email',
    );
    expect(failure(() => parseBody(createUserBody, { ...user, role: 'root' }))[1]).toBe(
      'Invalid role',
    );
  });

  it('compares the search times under the prefix of where they sit', () => {
    const times = { sql: 'select 1', start_time: 10, end_time: 10 };
    expect(failure(() => parseBody(partitionBody, times))[1]).toBe(
      'end_time must be greater than start_time',
    );
    expect(failure(() => parseBody(searchBody, { query: times }))[1]).toBe(
      'query.end_time must be greater than query.start_time',
    );
    expect(parseBody(partitionBody, { ...times, end_time: 11, encoding: null })).toEqual({
      sql: 'select 1',
      startTime: 10,
      endTime: 11,
    });
  });
});
