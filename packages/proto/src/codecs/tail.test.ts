import { describe, expect, it } from 'vitest';
import { TailRequestSchema, TailResponseSchema } from '../gen/o2/ingest/v1/tail_pb.js';
import { throughWire } from '../test-support/through-wire.js';
import { decodeTailRequest, decodeTailRows, encodeTailRequest, encodeTailRows } from './tail.js';

describe('TailService codecs', () => {
  it('brings a tail request back unchanged, with and without a filter', () => {
    for (const filter of ['', "level = 'error' AND match_all('timeout')"]) {
      const call = { org: 'default', type: 'logs' as const, stream: 'k8s_logs', filter };
      expect(decodeTailRequest(throughWire(TailRequestSchema, encodeTailRequest(call)))).toEqual(
        call,
      );
    }
  });

  it('brings rows, drop counts and heartbeats back unchanged', () => {
    for (const rows of [
      { rows: ['{"a":1}', '{"log":"x\\ny"}'], dropped: 0 },
      { rows: [], dropped: 12_345 },
      { rows: [], dropped: 0 },
    ])
      expect(decodeTailRows(throughWire(TailResponseSchema, encodeTailRows(rows)))).toEqual(rows);
  });
});
