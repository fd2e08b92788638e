import { describe, expect, it } from 'vitest';
import { formatKey } from './format-key.js';
import { KeyCache } from './key-cache.js';

describe('formatKey', () => {
  it('returns an already valid key unchanged', () => {
    expect(formatKey('kubernetes_pod_name_2')).toBe('kubernetes_pod_name_2');
    expect(formatKey('')).toBe('');
  });

  it('lowers ASCII upper-case and turns other ASCII into _', () => {
    expect(formatKey('@timestamp')).toBe('_timestamp');
    expect(formatKey('http.status')).toBe('http_status');
    expect(formatKey('Kubernetes.Pod-Name')).toBe('kubernetes_pod_name');
    expect(formatKey('a b/c:d$e')).toBe('a_b_c_d_e');
    expect(formatKey('key+bar')).toBe('key_bar');
  });

  it('keeps Unicode lower-case letters and digits, lowers upper-case, replaces the rest', () => {
    expect(formatKey('Ünïcödé')).toBe('ünïcödé');
    expect(formatKey('ΣΑΣ')).toBe('σασ');
    expect(formatKey('日本')).toBe('__'); // letters without case are neither lower nor upper
    expect(formatKey('a٣b')).toBe('a٣b'); // Arabic-Indic digit is a number
    expect(formatKey('x\u00a0y')).toBe('x_y'); // no-break space
    expect(formatKey('emoji😀')).toBe('emoji_'); // one code point, one _
  });

  it('keeps only the first code point of a multi-character lower-case mapping', () => {
    expect(formatKey('İstanbul')).toBe('istanbul');
  });
});

describe('KeyCache', () => {
  it('remembers formatted keys per parent path', () => {
    const cache = new KeyCache();
    const top = cache.topTable();
    expect(cache.add(top, undefined, 'Pod.Name')).toBe('pod_name');
    expect(top.get('Pod.Name')).toBe('pod_name');
    const nested = cache.nestedTable('kubernetes');
    expect(cache.add(nested, 'kubernetes', 'Host')).toBe('kubernetes_host');
    expect(cache.nestedTable('kubernetes').get('Host')).toBe('kubernetes_host');
  });

  it('starts over once it holds more than its limit', () => {
    const cache = new KeyCache(3);
    for (const k of ['a', 'b', 'c']) cache.add(cache.topTable(), undefined, k);
    expect(cache.size).toBe(3);
    cache.add(cache.topTable(), undefined, 'd');
    expect(cache.size).toBe(0);
    expect(cache.topTable().size).toBe(0);
  });
});
