import { describe, expect, it } from 'vitest';
import { normalizeStreamName } from './normalize-stream-name.js';

describe('normalizeStreamName', () => {
  it('keeps a valid lower-case name', () => {
    expect(normalizeStreamName('app_logs:v2')).toBe('app_logs:v2');
  });

  it('turns each run of other characters into one _ and lower-cases', () => {
    expect(normalizeStreamName('stream-name with spaces!')).toBe('stream_name_with_spaces_');
    expect(normalizeStreamName('My-Stream  Name!!')).toBe('my_stream_name_');
    expect(normalizeStreamName('a__b')).toBe('a__b');
    expect(normalizeStreamName('Ünï')).toBe('_n_');
  });

  it('keeps the case when lower-casing is off', () => {
    expect(normalizeStreamName('My-Stream', { toLowercase: false })).toBe('My_Stream');
  });

  it('leaves the name alone when formatting is skipped', () => {
    expect(normalizeStreamName('My Stream!', { skip: true })).toBe('My Stream!');
  });

  it('rejects an empty name as INVALID_ARGUMENT', () => {
    expect(() => normalizeStreamName('')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Stream name is empty' }),
    );
    expect(() => normalizeStreamName('', { skip: true })).toThrow('Stream name is empty');
  });
});
