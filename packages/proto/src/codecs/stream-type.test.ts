import { STREAM_KINDS, STREAM_TYPES } from '@o2/domain';
import { describe, expect, it } from 'vitest';
import { StreamType } from '../gen/o2/common/v1/stream_pb.js';
import { streamKindOf, streamTypeOf, wireStreamType } from './stream-type.js';

describe('stream type codec', () => {
  it('brings every stream type back from the wire', () => {
    for (const type of STREAM_TYPES) expect(streamTypeOf(wireStreamType(type))).toBe(type);
    expect(new Set(STREAM_TYPES.map(wireStreamType)).size).toBe(STREAM_TYPES.length);
  });

  it('brings every ingestible kind back as a kind', () => {
    for (const kind of STREAM_KINDS) expect(streamKindOf(wireStreamType(kind))).toBe(kind);
  });

  it('refuses UNSPECIFIED, unknown values and, as a kind, the internal types', () => {
    expect(() => streamTypeOf(StreamType.UNSPECIFIED)).toThrow('stream type is required');
    expect(() => streamTypeOf(99 as StreamType)).toThrow('unknown stream type 99');
    expect(() => streamKindOf(StreamType.UNSPECIFIED)).toThrow(/unsupported stream type/);
    expect(() => streamKindOf(StreamType.INDEX)).toThrow('unsupported stream type INDEX');
  });
});
