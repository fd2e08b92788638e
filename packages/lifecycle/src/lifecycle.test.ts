import { describe, expect, it } from 'vitest';
import { startAll, stopAll } from './index.js';
import type { Lifecycle } from './index.js';

function part(name: string, log: string[], fail?: 'start' | 'stop'): Lifecycle {
  return {
    name,
    start: () => {
      if (fail === 'start') return Promise.reject(new Error(`${name} start failed`));
      log.push(`start ${name}`);
      return Promise.resolve();
    },
    stop: () => {
      log.push(`stop ${name}`);
      return fail === 'stop' ? Promise.reject(new Error(`${name} stop failed`)) : Promise.resolve();
    },
  };
}

describe('lifecycle', () => {
  it('stops in reverse start order', async () => {
    const log: string[] = [];
    const parts = [part('store', log), part('cluster', log), part('http', log)];
    await startAll(parts);
    await stopAll(parts);
    expect(log).toEqual([
      'start store',
      'start cluster',
      'start http',
      'stop http',
      'stop cluster',
      'stop store',
    ]);
  });

  it('undoes a partial start', async () => {
    const log: string[] = [];
    await expect(
      startAll([part('store', log), part('cluster', log, 'start'), part('http', log)]),
    ).rejects.toThrow('cluster start failed');
    expect(log).toEqual(['start store', 'stop store']);
  });

  it('keeps stopping past a failure and reports it', async () => {
    const log: string[] = [];
    const parts = [part('store', log), part('cache', log, 'stop')];
    await startAll(parts);
    await expect(stopAll(parts)).rejects.toThrow('cache stop failed');
    expect(log).toContain('stop store');
  });
});
