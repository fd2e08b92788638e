import { describe, expect, it } from 'vitest';
import { HaDedup } from './ha-dedup.js';
import type { HaLeader, HaLeaderStore } from './ha-dedup.js';

const INTERVAL_MS = 3_000;

/**
 * The store's contract in a map (the real one is the metastore's `kv.claim`, checked on SQLite
 * and Postgres by its contract suite); it counts calls so the cache can be checked.
 */
class MapLeaderStore implements HaLeaderStore {
  readonly leaders = new Map<string, HaLeader>();
  calls = 0;

  elect(org: string, cluster: string, replica: string, nowMs: number, intervalMs: number) {
    this.calls++;
    const key = `${org}/${cluster}`;
    const leader = this.leaders.get(key);
    if (leader === undefined || leader.replica !== replica) {
      if (leader === undefined || nowMs - leader.lastSeenMs > intervalMs)
        this.leaders.set(key, { replica, lastSeenMs: nowMs });
    } else leader.lastSeenMs = Math.max(leader.lastSeenMs, nowMs);
    return Promise.resolve({ ...(this.leaders.get(key) as HaLeader) });
  }
}

function ingester(store: HaLeaderStore, clock: { now: number }): HaDedup {
  return new HaDedup({
    enabled: true,
    clusterLabel: 'cluster',
    replicaLabel: '__replica__',
    electionIntervalMs: INTERVAL_MS,
    now: () => clock.now,
    store,
  });
}

describe('HaDedup with a shared store', () => {
  it('elects once for two ingesters: the replica each heard first does not matter', async () => {
    const store = new MapLeaderStore();
    const clock = { now: 1_000 };
    const a = ingester(store, clock);
    const b = ingester(store, clock);
    expect(await a.decide('org', 'c1', 'r1')).toBe(true);
    expect(await b.decide('org', 'c1', 'r2')).toBe(false);
    clock.now += 500;
    expect(await b.decide('org', 'c1', 'r1')).toBe(true);
    expect(await a.decide('org', 'c1', 'r2')).toBe(false);
    expect(await a.decide('other', 'c1', 'r2')).toBe(true); // elections are per org
  });

  it('hands over after the interval of silence, seen by the other ingester too', async () => {
    const store = new MapLeaderStore();
    const clock = { now: 1_000 };
    const a = ingester(store, clock);
    const b = ingester(store, clock);
    expect(await a.decide('org', 'c1', 'r1')).toBe(true);
    clock.now += INTERVAL_MS; // exactly the interval: not yet
    expect(await b.decide('org', 'c1', 'r2')).toBe(false);
    clock.now += 1;
    expect(await b.decide('org', 'c1', 'r2')).toBe(true);
    // a still caches r1 as leader, but r1's last write is older than the interval: it asks.
    expect(await a.decide('org', 'c1', 'r1')).toBe(false);
    expect(await a.decide('org', 'c1', 'r2')).toBe(true);
  });

  it('keeps a busy leader with one store write per refresh, and rejects followers from cache', async () => {
    const store = new MapLeaderStore();
    const clock = { now: 1_000 };
    const a = ingester(store, clock);
    expect(await a.decide('org', 'c1', 'r1')).toBe(true);
    expect(await a.decide('org', 'c1', 'r2')).toBe(false);
    for (let i = 0; i < 100; i++) {
      clock.now += 10; // 1 s in all: the default refresh (a quarter of 3 s = 750 ms) passes once
      expect(await a.decide('org', 'c1', 'r1')).toBe(true);
      expect(await a.decide('org', 'c1', 'r2')).toBe(false);
    }
    expect(store.calls).toBe(2);
    // The refreshes kept the store's last-seen recent: no takeover right after.
    const b = ingester(store, clock);
    clock.now += INTERVAL_MS - 500;
    expect(await b.decide('org', 'c1', 'r2')).toBe(false);
  });

  it('asks the store once per group per request and once for concurrent requests', async () => {
    const store = new MapLeaderStore();
    const clock = { now: 1_000 };
    const a = ingester(store, clock);
    const verdicts = await a.verdicts('org', [
      ['c1', 'r1'],
      ['c1', 'r2'],
      ['c1', 'r1'],
    ]);
    expect([...verdicts]).toEqual([
      ['c1\u0000r1', true],
      ['c1\u0000r2', false],
    ]);
    expect(store.calls).toBe(1);
    const b = ingester(store, clock);
    await Promise.all([b.decide('org', 'c2', 'r1'), b.decide('org', 'c2', 'r1')]);
    expect(store.calls).toBe(2);
  });
});
