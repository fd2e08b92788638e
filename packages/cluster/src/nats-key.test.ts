import { describe, expect, it } from 'vitest';
import { decodeNatsKey, encodeNatsKey } from './nats-key.js';

describe('NATS key encoding', () => {
  it('keeps plain keys readable and escapes everything else reversibly', () => {
    expect(encodeNatsKey('org_1/stream-a')).toBe('org_1/stream-a');
    expect(encodeNatsKey('a.b c=é')).toBe('a=2Eb=20c=3D=C3=A9');
    for (const key of ['a.b c=é', '>*', '..', '=', '日本', '🙂/x']) {
      expect(encodeNatsKey(key)).toMatch(/^[-/=\w]+$/);
      expect(decodeNatsKey(encodeNatsKey(key))).toBe(key);
    }
  });

  it('preserves string prefixes', () => {
    expect(encodeNatsKey('settings.org1').startsWith(encodeNatsKey('settings.'))).toBe(true);
  });
});
