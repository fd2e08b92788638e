import { describe, expect, it } from 'vitest';
import { isAppError } from '@o2/errors';
import { likeMatches, parseTailFilter, tailFilterMatches } from './tail-filter.js';

const row = {
  _timestamp: 1_700_000_000_000_000,
  log: 'GET /api/cart 500 Internal Error',
  level: 'error',
  code: 500,
  k8s_namespace_name: 'shop',
  big: 2n ** 60n,
};

const matches = (filter: string) => tailFilterMatches(parseTailFilter(filter), row);

describe('live tail filter', () => {
  it('passes every row when empty or blank', () => {
    expect(matches('')).toBe(true);
    expect(matches('   ')).toBe(true);
  });

  it('evaluates match_all over the full-text fields, case-insensitively', () => {
    expect(matches("match_all('internal error')")).toBe(true);
    expect(matches("match_all('*cart*')")).toBe(true);
    expect(matches("match_all_raw('internal')")).toBe(false);
    expect(matches("match_all('shop')")).toBe(false); // not a full-text field
  });

  it('compares strings and numbers, with NULL semantics for missing fields', () => {
    expect(matches("level = 'error'")).toBe(true);
    expect(matches("level != 'error'")).toBe(false);
    expect(matches('code >= 500 AND code < 600')).toBe(true);
    expect(matches("code = '500'")).toBe(true);
    expect(matches(`big > 1000`)).toBe(true);
    expect(matches("missing = 'x'")).toBe(false);
    expect(matches("missing != 'x'")).toBe(false);
    expect(matches('missing IS NULL AND level IS NOT NULL')).toBe(true);
  });

  it('combines AND, OR, NOT and parentheses with the usual precedence', () => {
    expect(matches("level = 'info' OR level = 'error' AND code = 500")).toBe(true);
    expect(matches("(level = 'info' OR level = 'error') AND code = 404")).toBe(false);
    expect(matches("NOT level = 'info'")).toBe(true);
    expect(matches("level NOT IN ('info', 'debug')")).toBe(true);
    expect(matches("k8s_namespace_name IN ('shop')")).toBe(true);
  });

  it('supports str_match, LIKE and ILIKE without regular expressions', () => {
    expect(matches("str_match(log, 'cart')")).toBe(true);
    expect(matches("str_match(log, 'CART')")).toBe(false);
    expect(matches("str_match_ignore_case(log, 'CART')")).toBe(true);
    expect(matches("log LIKE 'GET %500%'")).toBe(true);
    expect(matches("log ILIKE 'get%error'")).toBe(true);
    expect(matches('"level" LIKE \'er_or\'')).toBe(true);
    expect(likeMatches('a'.repeat(10_000) + 'b', '%a%a%a%a%c')).toBe(false);
  });

  it.each([
    ["level = 'x'; DROP TABLE t", 'unexpected character'],
    ["read_parquet('/etc/passwd')", 'not supported'],
    ["re_match(log, '(a+)+$')", 'not supported'],
    ["level = 'open", 'unterminated quote'],
    ['level', 'expected a comparison'],
    ["match_all('')", 'non-empty term'],
    ["match_all('a') level", 'unexpected'],
    [`${'('.repeat(40)}level = 'a'${')'.repeat(40)}`, 'nested too deeply'],
    ['x'.repeat(5000), 'longer than'],
  ])('refuses %s with a 400 (%s)', (filter, reason) => {
    let error: unknown;
    try {
      parseTailFilter(filter);
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toContain(reason);
  });
});
