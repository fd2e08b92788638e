import { describe, expect, it } from 'vitest';
import { addressAllowed, checkAddresses, classifyAddress, parseDestinationUrl } from './ssrf.js';

const closed = { allowLoopback: false, allowList: [] };

describe('ssrf guard', () => {
  it('classifies addresses', () => {
    expect(classifyAddress('127.0.0.1')).toBe('loopback');
    expect(classifyAddress('::1')).toBe('loopback');
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback');
    expect(classifyAddress('169.254.169.254')).toBe('link-local');
    expect(classifyAddress('10.1.2.3')).toBe('private');
    expect(classifyAddress('172.20.0.1')).toBe('private');
    expect(classifyAddress('192.168.1.1')).toBe('private');
    expect(classifyAddress('fd00::1')).toBe('private');
    expect(classifyAddress('fe80::1')).toBe('link-local');
    expect(classifyAddress('0.0.0.0')).toBe('unspecified');
    expect(classifyAddress('8.8.8.8')).toBe('public');
    expect(classifyAddress('2001:4860::8888')).toBe('public');
  });

  it('judges an IPv6 address that carries an IPv4 one by that IPv4 address', () => {
    expect(classifyAddress('::ffff:7f00:1')).toBe('loopback');
    expect(classifyAddress('::127.0.0.1')).toBe('loopback');
    expect(classifyAddress('64:ff9b::a9fe:a9fe')).toBe('link-local');
    expect(classifyAddress('64:ff9b::10.0.0.1')).toBe('private');
    expect(classifyAddress('64:ff9b:1::a00:1')).toBe('private');
    expect(classifyAddress('2002:7f00:1::1')).toBe('loopback');
    expect(classifyAddress('2002:a9fe:a9fe::')).toBe('link-local');
    expect(classifyAddress('64:ff9b::808:808')).toBe('public');
    expect(classifyAddress('2002:808:808::1')).toBe('public');
  });

  it('refuses inside addresses unless allowed', () => {
    expect(() => checkAddresses('localhost', ['127.0.0.1'], closed)).toThrow(
      'resolves to a loopback address (127.0.0.1)',
    );
    expect(() =>
      checkAddresses('meta', ['169.254.169.254'], { ...closed, allowLoopback: true }),
    ).toThrow('link-local');
    expect(addressAllowed('localhost', '127.0.0.1', { ...closed, allowLoopback: true })).toBe(true);
    expect(
      addressAllowed('hooks.internal', '10.0.0.5', { ...closed, allowList: ['hooks.internal'] }),
    ).toBe(true);
    expect(addressAllowed('x', '10.0.0.5', { ...closed, allowList: ['10.0.0.0/8'] })).toBe(true);
    expect(addressAllowed('x', '11.0.0.5', { ...closed, allowList: ['10.0.0.0/8'] })).toBe(true);
    expect(addressAllowed('x', '192.168.0.5', { ...closed, allowList: ['10.0.0.0/8'] })).toBe(
      false,
    );
    expect(addressAllowed('x', 'fd00::5', { ...closed, allowList: ['fd00::/8'] })).toBe(true);
    expect(() => checkAddresses('nowhere', [], closed)).toThrow('Cannot resolve');
  });

  it('accepts only plain http(s) urls', () => {
    expect(parseDestinationUrl('https://hooks.slack.com/x').hostname).toBe('hooks.slack.com');
    expect(() => parseDestinationUrl('file:///etc/passwd')).toThrow('http or https');
    expect(() => parseDestinationUrl('http://u:p@host/')).toThrow('credentials');
    expect(() => parseDestinationUrl('not a url')).toThrow('Invalid destination url');
  });
});
