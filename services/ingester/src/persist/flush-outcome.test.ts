import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { flushFailure, incompleteFlush } from './flush-outcome.js';

describe('flush outcome', () => {
  it('is complete only when nothing is left to retry', () => {
    expect(incompleteFlush({ pending: 0 }, { uploaded: 3, pending: 0 })).toBeUndefined();
    expect(incompleteFlush(undefined, undefined)).toBeUndefined();
    const error = incompleteFlush(
      { pending: 1, error: 'ENAMETOOLONG: name too long' },
      { uploaded: 0, pending: 2, error: 'S3 put failed' },
    );
    expect([error?.code, error?.message]).toEqual([
      'UNAVAILABLE',
      'flush incomplete, retrying: 1 table(s) not yet written as Parquet, 2 upload(s) not yet stored (ENAMETOOLONG: name too long)',
    ]);
  });

  it('turns a failed cycle into a clear AppError', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    });
    expect(() => flushFailure(full)).toThrow(
      expect.objectContaining({
        code: 'UNAVAILABLE',
        message: 'flush failed, the rows stay in the WAL: ENOSPC: no space left on device, write',
      }) as Error,
    );
    expect(() => flushFailure(new TypeError('x is undefined'))).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }) as Error,
    );
    const own = AppError.notFound('gone');
    expect(() => flushFailure(own)).toThrow(own);
  });
});
