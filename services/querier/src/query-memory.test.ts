import { describe, expect, it } from 'vitest';
import { queryMemoryLimitMb } from './query-memory.js';

const GB = 1024 ** 3;

describe('queryMemoryLimitMb (ZO_MEMORY_CACHE_DATAFUSION_MAX_SIZE)', () => {
  it('takes a positive setting as MB, whatever the RAM', () => {
    expect(queryMemoryLimitMb({ ZO_MEMORY_CACHE_DATAFUSION_MAX_SIZE: 700 }, 64 * GB)).toBe(700);
  });

  it('0 is 10 % of RAM, at least 256 MB', () => {
    expect(queryMemoryLimitMb({ ZO_MEMORY_CACHE_DATAFUSION_MAX_SIZE: 0 }, 24 * GB)).toBe(2457);
    expect(queryMemoryLimitMb({ ZO_MEMORY_CACHE_DATAFUSION_MAX_SIZE: 0 }, 1 * GB)).toBe(256);
  });
});
