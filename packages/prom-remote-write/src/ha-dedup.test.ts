import { describe, expect, it } from 'vitest';
import { decodeRemoteWrite } from './decode-remote-write.js';
import { encodeRemoteWrite } from './encode-remote-write.js';
import { HaDedup } from './ha-dedup.js';

const INTERVAL_MS = 30_000;

function dedupAt(clock: { now: number }, enabled = true): HaDedup {
  return new HaDedup({
    enabled,
    clusterLabel: 'cluster',
    replicaLabel: '__replica__',
    electionIntervalMs: INTERVAL_MS,
    now: () => clock.now,
  });
}

/** One remote-write request from `replica` of cluster `c1`, as an HA Prometheus pair sends. */
function requestFrom(replica: string, timestampMs: number, extra: Record<string, string> = {}) {
  return encodeRemoteWrite([
    {
      labels: { __name__: 'up', job: 'node', cluster: 'c1', __replica__: replica, ...extra },
      samples: [{ value: 1, timestampMs }],
    },
    {
      labels: { __name__: 'load1', cluster: 'c1', __replica__: replica, ...extra },
      samples: [{ value: 0.5, timestampMs }],
    },
  ]);
}

describe('HaDedup', () => {
  it('follows the leader election timeline', () => {
    const clock = { now: 0 };
    const ha = dedupAt(clock);
    expect(ha.admit('org', 'c1', 'a')).toBe(true); // first writer leads
    clock.now = 10_000;
    expect(ha.admit('org', 'c1', 'b')).toBe(false); // leader fresh: b dropped
    clock.now = 20_000;
    expect(ha.admit('org', 'c1', 'a')).toBe(true); // the leader's writes keep it leading
    clock.now = 20_000 + INTERVAL_MS;
    expect(ha.admit('org', 'c1', 'b')).toBe(false); // exactly the interval: not yet
    clock.now = 20_001 + INTERVAL_MS;
    expect(ha.admit('org', 'c1', 'b')).toBe(true); // a silent for longer: b takes over
    expect(ha.leaderOf('org', 'c1')).toBe('b');
    clock.now += 1_000;
    expect(ha.admit('org', 'c1', 'a')).toBe(false); // a is now the follower
  });

  it('elects per organization and per cluster, and admits everything when disabled', () => {
    const clock = { now: 0 };
    const ha = dedupAt(clock);
    expect(ha.admit('org1', 'c1', 'a')).toBe(true);
    expect(ha.admit('org2', 'c1', 'b')).toBe(true);
    expect(ha.admit('org1', 'c2', 'b')).toBe(true);
    expect(ha.admit('org1', 'c1', 'b')).toBe(false);
    const off = dedupAt(clock, false);
    expect(off.admit('org1', 'c1', 'a')).toBe(true);
    expect(off.admit('org1', 'c1', 'b')).toBe(true);
  });
});

describe('remote write with HA dedup', () => {
  it("keeps the leader's samples without the replica label and drops the follower's", () => {
    const clock = { now: 1_000_000 };
    const haDedup = dedupAt(clock);
    const options = {
      org: 'default',
      maxDecompressedBytes: 1 << 20,
      nativeHistogramMaxBuckets: 16,
      haDedup,
    };
    const fromA = decodeRemoteWrite(requestFrom('a', 1_000), options);
    expect(fromA.accepted.samples).toBe(2);
    const [up] = fromA.rows.get('up') ?? [];
    expect(up).toMatchObject({ __name__: 'up', job: 'node', cluster: 'c1' });
    expect(up).not.toHaveProperty('__replica__');

    clock.now += 5_000;
    const fromB = decodeRemoteWrite(requestFrom('b', 1_000), options);
    expect(fromB.rows.size).toBe(0);
    expect(fromB.rejected.haNonLeaderSamples).toBe(2);

    // a goes quiet; after the election interval b's next request is kept, as the same series.
    clock.now += INTERVAL_MS + 1;
    const failover = decodeRemoteWrite(requestFrom('b', 40_000), options);
    expect(failover.accepted.samples).toBe(2);
    expect(failover.rows.get('up')?.[0]?.__hash__).toBe(up?.__hash__);
  });

  it('leaves series without both HA labels alone', () => {
    const haDedup = dedupAt({ now: 0 });
    const options = {
      org: 'o',
      maxDecompressedBytes: 1 << 20,
      nativeHistogramMaxBuckets: 16,
      haDedup,
    };
    decodeRemoteWrite(requestFrom('a', 1), options);
    const lone = decodeRemoteWrite(
      encodeRemoteWrite([
        { labels: { __name__: 'x', __replica__: 'b' }, samples: [{ value: 1, timestampMs: 1 }] },
      ]),
      options,
    );
    // Without a cluster label there is no HA group: kept, replica label and all.
    expect(lone.rows.get('x')?.[0]).toMatchObject({ __replica__: 'b' });
  });
});
