import { describe, expect, it } from 'vitest';
import {
  isFileStreamType,
  isStreamKind,
  isStreamType,
  parseStreamKind,
  STREAM_KINDS,
} from './stream-types.js';

describe('stream types', () => {
  it('tell stream types, ingestible kinds and file-key types apart', () => {
    expect(STREAM_KINDS.every(isStreamType)).toBe(true);
    expect(isStreamType('index')).toBe(true);
    expect(isStreamKind('index')).toBe(false);
    expect(isStreamType('service_graph')).toBe(false);
    expect(isFileStreamType('service_graph')).toBe(true);
    expect(isStreamType('LOGS')).toBe(false);
    expect(isStreamType(undefined)).toBe(false);
  });

  it('parses a kind or names the bad one', () => {
    expect(parseStreamKind('traces')).toBe('traces');
    expect(() => parseStreamKind('index')).toThrow(/unknown stream type index/);
  });
});
