import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { classifyFailure, describeFailure } from './failure-class.js';

const withCode = (code: string, message = code): Error =>
  Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it('calls an unreachable store, a timeout or a full disk transient', () => {
    for (const error of [
      new AppError('UNAVAILABLE', 'S3 put failed: connect ECONNREFUSED'),
      new AppError('DEADLINE_EXCEEDED', 'took too long'),
      withCode('ECONNREFUSED'),
      withCode('ETIMEDOUT'),
      withCode('ENOSPC', 'no space left on device'),
      withCode('SQLITE_BUSY'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('08006', 'connection failure'),
      Object.assign(new Error('Service Unavailable'), { statusCode: 503 }),
      Object.assign(new Error('slow down'), { statusCode: 429 }),
      Object.assign(new Error('aborted'), { name: 'TimeoutError' }),
      // wrapped: the cause decides
      AppError.internal('S3 put failed', withCode('ECONNRESET')),
      new AggregateError([withCode('ECONNREFUSED')], ''),
    ]) {
      expect([String(error), classifyFailure(error)]).toEqual([String(error), 'transient']);
    }
  });

  it("calls a failure of the partition's own data or key persistent", () => {
    for (const error of [
      new AppError('CONFLICT', 'object would be inside an object'),
      new AppError('INVALID_ARGUMENT', 'invalid partition'),
      AppError.internal('merge failed', new Error('Invalid parquet file. Corrupt footer')),
      withCode('ENAMETOOLONG', 'name too long'),
      withCode('ENOTDIR'),
      withCode('EACCES'),
      withCode('23505', 'duplicate key value'),
      Object.assign(new Error('Forbidden'), { statusCode: 403 }),
      new TypeError('cannot read properties of undefined'),
      'a string',
      undefined,
    ]) {
      expect([String(error), classifyFailure(error)]).toEqual([String(error), 'persistent']);
    }
  });

  it('survives a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(classifyFailure(a)).toBe('persistent');
  });
});

describe('describeFailure', () => {
  it('keeps one short line with credentials masked', () => {
    const text = describeFailure(
      new Error(
        'connect to postgres://o2:s3cret@db:5432/o2 failed; secret_key=abcd1234 token: xyz\n    at stack (file.js:1:1)',
      ),
    );
    expect(text).toBe('connect to postgres://***@db:5432/o2 failed; secret_key=*** token: ***');
    expect(describeFailure(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(300);
    expect(describeFailure(new Error(`key ${'A1b2'.repeat(12)} rejected`))).toBe(
      'key *** rejected',
    );
    expect(describeFailure(Object.assign(new Error(''), { code: 'ECONNREFUSED' }))).toBe(
      'ECONNREFUSED',
    );
  });
});
