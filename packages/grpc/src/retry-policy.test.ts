import { AppError } from '@o2/errors';
import { HotDataService, IngestService, NodeService, QueryService, ScanService } from '@o2/proto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, isIdempotent, retryDelayMs } from './retry-policy.js';

const unavailable = new AppError('UNAVAILABLE', 'down');
const policy = { ...DEFAULT_RETRY_POLICY, initialBackoffMs: 100, maxBackoffMs: 1_000 };

describe('retry policy', () => {
  it('reads idempotency from the proto declarations', () => {
    expect(isIdempotent(IngestService.method.ingest)).toBe(true);
    expect(isIdempotent(QueryService.method.query)).toBe(true);
    expect(isIdempotent(ScanService.method.search)).toBe(true);
    expect(isIdempotent(HotDataService.method.hotData)).toBe(true);
    expect(isIdempotent(NodeService.method.flush)).toBe(true);
  });

  it('retries only idempotent calls, only on UNAVAILABLE, only while attempts remain', () => {
    expect(retryDelayMs(unavailable, 1, true, policy)).toBeGreaterThan(0);
    expect(retryDelayMs(unavailable, 1, false, policy)).toBeUndefined();
    expect(retryDelayMs(AppError.notFound('x'), 1, true, policy)).toBeUndefined();
    expect(retryDelayMs(unavailable, policy.maxAttempts, true, policy)).toBeUndefined();
  });

  it('grows the delay, caps it and keeps the jitter within its fraction', () => {
    const low = () => 0;
    const high = () => 1;
    expect(retryDelayMs(unavailable, 1, true, policy, low)).toBeCloseTo(80);
    expect(retryDelayMs(unavailable, 2, true, policy, high)).toBeCloseTo(240);
    const capped = { ...policy, maxAttempts: 20 };
    expect(retryDelayMs(unavailable, 10, true, capped, high)).toBe(1_000);
  });

  it("waits at least as long as the server's retry-after", () => {
    const busy = new AppError('UNAVAILABLE', 'full', { retryAfterSeconds: 3 });
    expect(retryDelayMs(busy, 1, true, policy)).toBe(3_000);
  });
});
