import { describe, expect, it } from 'vitest';
import { parseSeriesDesc, parseSequence, splitSeriesLine } from './series-desc.js';
import { parseTestScript } from './test-script.js';

describe('promqltest notation', () => {
  it('expands value sequences', () => {
    const floats = (s: string): (number | string)[] =>
      parseSequence(s).map((v) => (v.kind === 'float' ? v.v : v.kind));
    expect(floats('0+10x3')).toEqual([0, 10, 20, 30]);
    expect(floats('5-1x2 _ stale')).toEqual([5, 4, 3, 'omitted', 'stale']);
    expect(floats('_x2 1x2')).toEqual(['omitted', 'omitted', 1, 1, 1]);
    expect(floats('-Inf NaN {{schema:0 sum:1 count:1}}x1')).toEqual([
      -Infinity,
      NaN,
      'histogram',
      'histogram',
    ]);
  });

  it('reads histogram literals in load and expectation lines', () => {
    const [load, ev] = parseTestScript(
      'load 1m\n  h {{sum:1 count:1}}+{{sum:2 count:2 buckets:[2]}}x1\n\neval instant at 1m h\n  h {{schema:0 sum:3 count:3 buckets:[2]}}\n',
    );
    if (load?.kind !== 'load' || ev?.kind !== 'eval') throw new Error('unexpected commands');
    const loaded = load.series[0]!.values.map((v) => (v.kind === 'histogram' ? v.h.count : v.kind));
    expect(loaded).toEqual([1, 3]);
    const exp = ev.expected[0]!.values[0]!;
    expect(exp.kind === 'histogram' && exp.h.pos).toEqual([{ i: 0, c: 2 }]);
  });

  it('parses series descriptors with quoting', () => {
    const { series, values } = splitSeriesLine('metric{a="x y}", "b.c"="d"} 1 2');
    expect(values).toBe('1 2');
    expect(parseSeriesDesc(series).toRecord()).toEqual({
      __name__: 'metric',
      a: 'x y}',
      'b.c': 'd',
    });
  });

  it('parses eval blocks with expectations, and clear without a blank line after it', () => {
    const cmds = parseTestScript(
      [
        'clear',
        'load 1m',
        '  m 1 2',
        '',
        'eval_warn instant at 1m m',
        '  expect no_info',
        '  {__name__="m"} 2',
      ].join('\n'),
    );
    expect(cmds.map((c) => c.kind)).toEqual(['clear', 'load', 'eval']);
    const ev = cmds[2]!;
    expect(ev.kind === 'eval' && [ev.warn, ev.noInfo, ev.startMs, ev.expected.length]).toEqual([
      true,
      true,
      60_000,
      1,
    ]);
  });
});
