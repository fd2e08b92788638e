import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { createLogger } from '@o2/logger';
import { leadership } from './index.js';
import type { Leadership } from './index.js';

const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('leadership', () => {
  const cluster = new MemoryCluster({ nodeTtlMs: 1_000 });
  const running: Leadership[] = [];
  afterEach(async () => {
    for (const part of running.splice(0)) await part.stop();
  });

  it('elects exactly one of several instances and hands over on a clean stop', async () => {
    const elected: string[] = [];
    const make = (id: string): Leadership => {
      const part = leadership({
        cluster,
        logger: silent,
        lease: 'compactor-test',
        holderId: id,
        ttlMs: 600,
        onElected: () => void elected.push(id),
      });
      running.push(part);
      return part;
    };
    const a = make('a');
    const b = make('b');
    await a.start();
    await b.start();
    await waitFor(() => a.isLeader() || b.isLeader());
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);

    const [leader, standby] = a.isLeader() ? [a, b] : [b, a];
    await leader.stop();
    running.splice(running.indexOf(leader), 1);
    await waitFor(() => standby.isLeader());
    expect(elected).toHaveLength(2);
    expect((await cluster.leases.holder('compactor-test'))?.holderId).toBe(elected[1]);
  });
});
