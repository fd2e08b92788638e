import type { HotStreamStats, QuarantinedPartition } from '@o2/domain';
import { describe, expect, it } from 'vitest';
import {
  InfoResponseSchema,
  QuarantinedPartitionSchema,
  StreamHotStatsSchema,
} from '../gen/o2/node/v1/node_pb.js';
import { throughWire } from '../test-support/through-wire.js';
import {
  decodeHotStreamStats,
  decodeNodeInfo,
  decodeQuarantinedPartition,
  encodeHotStreamStats,
  encodeNodeInfo,
  encodeQuarantinedPartition,
} from './node.js';

describe('NodeService codecs', () => {
  it('brings node info back unchanged', () => {
    const node = {
      name: 'ingester-0',
      roles: ['ingester', 'querier'],
      version: '0.1.0',
      httpAddr: 'ingester-0:5080',
      grpcAddr: 'ingester-0:5081',
      startedAt: 1_764_000_000_123,
    };
    expect(decodeNodeInfo(throughWire(InfoResponseSchema, encodeNodeInfo(node)))).toEqual(node);
  });

  it('brings hot stream stats back unchanged', () => {
    const stats: HotStreamStats = {
      org: 'default',
      type: 'traces',
      stream: 'spans',
      records: 42,
      bytes: 4096,
      minTs: 1_764_000_000_000_000,
      maxTs: 1_764_000_000_500_000,
    };
    const wire = throughWire(StreamHotStatsSchema, encodeHotStreamStats(stats));
    expect(decodeHotStreamStats('default', wire)).toEqual(stats);
  });

  it('sends an empty stream’s open range as 0..0 and bytes whole', () => {
    const empty: HotStreamStats = {
      org: 'o',
      type: 'logs',
      stream: 's',
      records: 0,
      bytes: 10.4,
      minTs: Infinity,
      maxTs: -Infinity,
    };
    const wire = throughWire(StreamHotStatsSchema, encodeHotStreamStats(empty));
    expect(decodeHotStreamStats('o', wire)).toEqual({ ...empty, bytes: 10, minTs: 0, maxTs: 0 });
  });

  it('reads a stream type it does not know as logs', () => {
    const wire = throughWire(StreamHotStatsSchema, { streamType: 'profiles', stream: 's' });
    expect(decodeHotStreamStats('o', wire).type).toBe('logs');
  });

  it('brings a quarantined partition back unchanged, named after the node that answered', () => {
    for (const stage of ['persist', 'upload'] as const) {
      const entry: QuarantinedPartition = {
        org: 'default',
        streamType: 'metrics',
        stream: 'cpu',
        partition: '2026/11/28/07/host=a',
        stage,
        rows: 12,
        bytes: 3456,
        error: 'disk full',
        attempts: 5,
        firstFailedAt: 1_764_000_000_000,
        quarantinedAt: 1_764_000_060_000,
        path: '/data/wal/quarantine/x',
        node: 'ingester-a',
      };
      const wire = throughWire(QuarantinedPartitionSchema, encodeQuarantinedPartition(entry));
      expect(decodeQuarantinedPartition(wire, 'ingester-a')).toEqual(entry);
    }
  });
});
