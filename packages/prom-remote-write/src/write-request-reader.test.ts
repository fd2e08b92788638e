import { fromBinary } from '@bufbuild/protobuf';
import { isAppError } from '@o2/errors';
import { prometheus } from '@o2/proto';
import { describe, expect, it } from 'vitest';
import { encodeWriteRequest } from './encode-remote-write.js';
import { readWireWriteRequest } from './write-request-reader.js';

const bytes = encodeWriteRequest(
  [
    {
      labels: { __name__: 'température_°C', job: 'ünïcode', empty: '' },
      samples: [
        { value: -1.5, timestampMs: 1_700_000_000_123 },
        { value: NaN, timestampMs: -86_400_000 }, // before 1970: a 10-byte negative varint
        { value: 0, timestampMs: 0 },
        { value: Number.MAX_VALUE, timestampMs: 2 ** 52 },
      ],
      exemplars: [
        { labels: { trace_id: 'a' }, value: 1, timestampMs: 1 },
        { labels: { trace_id: 'b' }, value: 2, timestampMs: 2 },
      ],
      histograms: [
        {
          timestampMs: 5,
          schema: 1,
          zeroThreshold: 0,
          zeroCount: 0,
          count: 3,
          sum: 3,
          positiveSpans: [{ offset: 0, length: 2 }],
          positiveBuckets: [1, 2],
          negativeSpans: [],
          negativeBuckets: [],
        },
      ],
    },
    { labels: { __name__: 'second' }, samples: [{ value: 7, timestampMs: 9 }] },
  ],
  [{ family: 'second', type: 'Gauge', help: 'Two.', unit: 'bytes' }],
);

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return 'none';
}

describe('readWireWriteRequest', () => {
  it('reads what the generated protobuf-es decoder reads', () => {
    const generated = fromBinary(prometheus.WriteRequestSchema, bytes);
    const wire = readWireWriteRequest(bytes);
    expect(wire.timeseries.map((s) => s.labels)).toEqual(
      generated.timeseries.map((s) => s.labels.map(({ name, value }) => ({ name, value }))),
    );
    expect(wire.timeseries.map((s) => [s.values, s.timestampsMs])).toEqual(
      generated.timeseries.map((s) => [
        s.samples.map((p) => p.value),
        s.samples.map((p) => Number(p.timestamp)),
      ]),
    );
    expect(wire.timeseries[0]?.timestampsMs[1]).toBe(-86_400_000);
    expect(wire.timeseries.map((s) => s.exemplars)).toEqual([2, 0]);
    expect(wire.timeseries[0]?.histograms).toEqual(generated.timeseries[0]?.histograms);
    expect(wire.metadata).toEqual(generated.metadata);
  });

  it('skips fields it does not know, like any protobuf reader', () => {
    // Field 2 (reserved: Cortex's source enum) as a varint, field 15 as fixed32, field 16 as
    // a length-delimited blob, all appended at the top level.
    const unknown = Uint8Array.of(0x10, 0x01, 0x7d, 1, 2, 3, 4, 0x82, 0x01, 0x02, 0xaa, 0xbb);
    const extended = new Uint8Array(bytes.length + unknown.length);
    extended.set(bytes);
    extended.set(unknown, bytes.length);
    expect(readWireWriteRequest(extended)).toEqual(readWireWriteRequest(bytes));
  });

  it('rejects truncated bytes and unsupported wire types with INVALID_ARGUMENT', () => {
    // One series and nothing else: every non-empty proper prefix cuts it short.
    const one = encodeWriteRequest([
      { labels: { __name__: 'up', job: 'x' }, samples: [{ value: 1, timestampMs: 1e12 }] },
    ]);
    for (let length = 1; length < one.length; length++)
      expect(errorCode(() => readWireWriteRequest(one.subarray(0, length)))).toBe(
        'INVALID_ARGUMENT',
      );
    expect(errorCode(() => readWireWriteRequest(Uint8Array.of(0x0b)))).toBe('INVALID_ARGUMENT');
    // A label that claims more bytes than its series holds.
    expect(
      errorCode(() =>
        readWireWriteRequest(Uint8Array.of(0x0a, 0x03, 0x0a, 0x05, 0x0a, 0x01, 0x61)),
      ),
    ).toBe('INVALID_ARGUMENT');
  });
});
