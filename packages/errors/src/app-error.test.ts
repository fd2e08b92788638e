import { describe, expect, it } from 'vitest';
import {
  AppError,
  ERROR_CODES,
  GRPC_STATUS,
  HTTP_STATUS,
  errorCodeFromGrpcStatus,
  toAppError,
  toHttpErrorResponse,
} from './index.js';

describe('AppError', () => {
  it('turns an unknown thrown value into INTERNAL, never a 400', () => {
    expect(toAppError(new TypeError('boom')).code).toBe('INTERNAL');
    expect(toAppError('text').code).toBe('INTERNAL');
    const kept = AppError.notFound('stream x not found');
    expect(toAppError(kept)).toBe(kept);
  });

  it('maps every code to an HTTP and a gRPC status', () => {
    for (const code of ERROR_CODES) {
      expect(HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(GRPC_STATUS[code]).toBeGreaterThan(0);
    }
  });

  it('round-trips NOT_FOUND through gRPC so a querier miss reaches HTTP as 404', () => {
    const code = errorCodeFromGrpcStatus(GRPC_STATUS.NOT_FOUND);
    expect(HTTP_STATUS[code]).toBe(404);
    expect(errorCodeFromGrpcStatus(999)).toBe('INTERNAL');
  });

  it("renders O2's body shape and hides 5xx details", () => {
    const bad = toHttpErrorResponse(AppError.invalidArgument('bad json', { details: 'line 1' }));
    expect(bad).toEqual({
      status: 400,
      headers: {},
      body: { code: 400, message: 'bad json', error_detail: 'line 1' },
    });
    const crash = toHttpErrorResponse(new Error('ENOENT /secret/path'));
    expect(crash.status).toBe(500);
    expect(crash.body.message).not.toContain('secret');
  });

  it('carries a retry hint for overload', () => {
    const busy = toHttpErrorResponse(
      new AppError('UNAVAILABLE', 'memtable full', { retryAfterSeconds: 2 }),
    );
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('2');
    expect(busy.body.message).toBe('memtable full');
  });
});
