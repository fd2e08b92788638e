import { describe, expect, it } from 'vitest';
import {
  checkOrgId,
  checkStreamName,
  orgIdProblem,
  resolveStreamName,
  streamNameProblem,
} from './names.js';
import { isValidOrgIdentifier } from './organization.js';

describe('org ids', () => {
  it.each([
    ['default', undefined],
    ['_meta', undefined],
    ['Org_42', undefined],
    ['a'.repeat(100), undefined],
    ['', 'empty'],
    ['a'.repeat(101), 'longer than 100'],
    ['../default', 'only letters'],
    ['..', 'only letters'],
    ['Bad Org!', 'only letters'],
    ['a/b', 'only letters'],
    ['a\\b', 'only letters'],
    ['a\u0000b', 'only letters'],
    ['my-org', 'only letters'],
    ['ünï', 'only letters'],
    ['a.b', 'only letters'],
  ])('%j → %s', (org, problem) => {
    const found = orgIdProblem(org);
    if (problem === undefined) {
      expect(found).toBeUndefined();
      expect(checkOrgId(org)).toBe(org);
      expect(isValidOrgIdentifier(org)).toBe(true);
    } else {
      expect(found).toContain(problem);
      expect(() => checkOrgId(org)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', message: found }),
      );
      expect(isValidOrgIdentifier(org)).toBe(false);
    }
  });
});

describe('resolveStreamName (O2 format_stream_name + key rules)', () => {
  it.each([
    ['app_logs:v2', {}, 'app_logs:v2'],
    ['stream-name with spaces!', {}, 'stream_name_with_spaces_'],
    ['My-Stream  Name!!', {}, 'my_stream_name_'],
    ['a__b', {}, 'a__b'],
    ['Ünï', {}, '_n_'],
    ['../default', {}, '_default'],
    ['a/b\\c', {}, 'a_b_c'],
    ['x\u0000y', {}, 'x_y'],
    ['My-Stream', { toLowercase: false }, 'My_Stream'],
    ['My Stream!', { skip: true }, 'My Stream!'],
    ['ünïcödé', { skip: true }, 'ünïcödé'],
    ['s'.repeat(256), {}, 's'.repeat(256)],
  ])('%j %j → %j', (name, options, expected) => {
    expect(resolveStreamName(name, options)).toBe(expected);
  });

  it.each([
    ['', {}, 'Stream name is empty'],
    ['', { skip: true }, 'Stream name is empty'],
    ['s'.repeat(257), {}, 'longer than 256'],
    ['a-'.repeat(200), {}, 'longer than 256'],
    ['../default', { skip: true }, 'contain ".."'],
    ['.', { skip: true }, 'contain ".."'],
    ['a/b', { skip: true }, 'contain "/"'],
    ['a\\b', { skip: true }, 'contain "/"'],
    ['a[1]', { skip: true }, '"[" or "]"'],
    ['logs*', { skip: true }, '"*"'],
    ['a\u0000b', { skip: true }, 'control characters'],
    ['a\nb', { skip: true }, 'control characters'],
    ['a\uD800b', { skip: true }, 'valid Unicode'],
    [' padded', { skip: true }, 'whitespace'],
  ])('%j %j is refused: %s', (name, options, rule) => {
    expect(() => resolveStreamName(name, options)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => resolveStreamName(name, options)).toThrow(rule);
  });

  it('every normalised name is a valid stream name', () => {
    for (const name of ['..', '/', '\u0000', 'é', ' a ', 'A.B.C', '%2F..%2F']) {
      expect(streamNameProblem(resolveStreamName(name))).toBeUndefined();
    }
  });

  it('checkStreamName passes valid names through and refuses key-breaking ones', () => {
    expect(checkStreamName('k8s_logs')).toBe('k8s_logs');
    expect(() => checkStreamName('a/../b')).toThrow(/Invalid stream name/);
  });
});
