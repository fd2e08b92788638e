import { describe, expect, it } from 'vitest';
import { engineConcurrency } from './engine-concurrency.js';

describe('engineConcurrency', () => {
  it('is the setting when set, else DuckDB threads, else the CPUs', () => {
    const none = { ZO_QUERY_ENGINE_CONCURRENCY: 0, ZO_QUERY_THREAD_NUM: 0 };
    expect(engineConcurrency(none, 2)).toBe(2);
    expect(engineConcurrency({ ...none, ZO_QUERY_THREAD_NUM: 3 }, 2)).toBe(3);
    expect(engineConcurrency({ ZO_QUERY_ENGINE_CONCURRENCY: 5, ZO_QUERY_THREAD_NUM: 3 }, 2)).toBe(
      5,
    );
  });
});
