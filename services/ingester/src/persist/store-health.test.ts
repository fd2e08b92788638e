import { describe, expect, it } from 'vitest';
import { StoreHealth } from './store-health.js';

describe('StoreHealth', () => {
  it('reports a dependency from its first failure until its next success', () => {
    let now = 10_000;
    const health = new StoreHealth(() => now);
    expect(health.reasons()).toEqual([]);
    health.failed('object store', 'connect ECONNREFUSED 127.0.0.1:9000');
    now += 42_000;
    health.failed('object store', 'connect ECONNREFUSED 127.0.0.1:9000');
    health.succeeded('metadata store');
    expect(health.isDown('object store')).toBe(true);
    expect(health.reasons()).toEqual([
      'object store unreachable for 42 s (2 failed tries): connect ECONNREFUSED 127.0.0.1:9000',
    ]);
    health.succeeded('object store');
    expect(health.reasons()).toEqual([]);
  });
});
