import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { parsePromql } from './parse.js';

function parseFails(query: string): string {
  try {
    parsePromql(query);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INVALID_ARGUMENT');
    return (err as AppError).message;
  }
  throw new Error(`expected ${query} to fail`);
}

describe('parsePromql', () => {
  it('builds selectors with all four matchers, offset and @', () => {
    const e = parsePromql('rate(foo{a="b",c!="d",e=~"f.*",g!~"h"}[5m] offset -1m @ start())');
    expect(e.type).toBe('call');
    if (e.type !== 'call') return;
    const m = e.args[0]!;
    expect(m.type).toBe('matrixSelector');
    if (m.type !== 'matrixSelector') return;
    expect(m.rangeMs).toBe(300_000);
    expect(m.selector.offsetMs).toBe(-60_000);
    expect(m.selector.at).toEqual({ kind: 'start' });
    expect(m.selector.matchers.map((x) => `${x.name}${x.type}${x.value}`)).toEqual([
      '__name__=foo',
      'a=b',
      'c!=d',
      'e=~f.*',
      'g!~h',
    ]);
  });

  it('gives unary minus lower precedence than ^ and binds offset/@ to the nearest selector', () => {
    const pow = parsePromql('-2 ^ 2');
    expect(pow.type).toBe('unary');
    const bin = parsePromql('a offset 1m or b offset 2m');
    expect(bin.type).toBe('binary');
    if (bin.type !== 'binary') return;
    expect(bin.lhs.type === 'vectorSelector' && bin.lhs.offsetMs).toBe(60_000);
    expect(bin.rhs.type === 'vectorSelector' && bin.rhs.offsetMs).toBe(120_000);
  });

  it('parses vector matching, grouping and aggregation parameters', () => {
    const e = parsePromql('sum by (job) (a) * on (job) group_left (team) topk(3, b)');
    expect(e.type).toBe('binary');
    if (e.type !== 'binary') return;
    expect(e.matching).toEqual({
      card: 'many-to-one',
      on: true,
      labels: ['job'],
      include: ['team'],
    });
    expect(e.rhs.type === 'aggregate' && e.rhs.op).toBe('topk');
  });

  it('reports errors with position and Prometheus wording', () => {
    expect(parseFails('1 +')).toBe('1:4: parse error: unexpected end of input');
    expect(parseFails('rate(foo)')).toBe(
      '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    );
    expect(parseFails('{a=~".*"}')).toBe(
      '1:1: parse error: vector selector must contain at least one non-empty matcher',
    );
    expect(parseFails('nosuchfn(x)')).toBe(
      '1:1: parse error: unknown function with name "nosuchfn"',
    );
    expect(parseFails('1 > 2')).toBe(
      '1:1: parse error: comparisons between scalars must use BOOL modifier',
    );
    expect(parseFails('sum(x) offset 1m')).toContain('offset modifier must be preceded by');
  });

  it('accepts trailing-dot numbers, hex and durations as numbers', () => {
    expect(parsePromql('2.')).toMatchObject({ type: 'number', value: 2 });
    expect(parsePromql('0x1F')).toMatchObject({ type: 'number', value: 31 });
    expect(parsePromql('"a\\x41"')).toMatchObject({ type: 'string', value: 'aA' });
  });
});
