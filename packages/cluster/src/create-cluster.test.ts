import { loadConfig } from '@o2/config';
import { describe, expect, it } from 'vitest';
import { createCluster } from './create-cluster.js';
import { MemoryCluster } from './memory-cluster.js';

describe('createCluster', () => {
  it('builds an in-process cluster in local mode', async () => {
    const cluster = await createCluster(loadConfig({}));
    try {
      expect(cluster).toBeInstanceOf(MemoryCluster);
      await cluster.kv.put('a', 'b');
      expect(await cluster.kv.get('a')).toBe('b');
    } finally {
      await cluster.close();
    }
  });
});
