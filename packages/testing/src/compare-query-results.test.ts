import { describe, expect, it } from 'vitest';
import {
  compareQueryResults,
  expectSameQueryResult,
  floatsMatch,
  parsePromFloat,
} from './compare-query-results.js';
import type { PromQueryData } from './prometheus-api-client.js';

const vector = (...samples: [Record<string, string>, number, string][]): PromQueryData => ({
  resultType: 'vector',
  result: samples.map(([metric, t, v]) => ({ metric, value: [t, v] })),
});

const matrix = (...series: [Record<string, string>, [number, string][]][]): PromQueryData => ({
  resultType: 'matrix',
  result: series.map(([metric, values]) => ({ metric, values })),
});

const a = { __name__: 'up', job: 'a' };
const b = { __name__: 'up', job: 'b' };

describe('compareQueryResults', () => {
  it('accepts the same vector in another order and values within the relative tolerance', () => {
    const expected = vector([a, 10, '1'], [b, 10, '1000000']);
    const actual = vector([b, 10, '1000000.0001'], [a, 10, '1']);
    expect(compareQueryResults(expected, actual)).toEqual({ equal: true, differences: [] });
  });

  it('fails on a value outside the tolerance, naming series and time', () => {
    const result = compareQueryResults(vector([a, 10, '1']), vector([a, 10, '1.01']), {
      relTolerance: 1e-3,
    });
    expect(result.equal).toBe(false);
    expect(result.differences).toEqual(['{__name__="up",job="a"} at 10: expected 1, got 1.01']);
  });

  it('honours a looser relative tolerance', () => {
    expect(
      compareQueryResults(vector([a, 10, '1']), vector([a, 10, '1.01']), { relTolerance: 0.02 })
        .equal,
    ).toBe(true);
  });

  it('fails on a missing, an extra and a relabelled series', () => {
    const { differences } = compareQueryResults(
      vector([a, 10, '1'], [b, 10, '2']),
      vector([a, 10, '1'], [{ ...b, job: 'c' }, 10, '2']),
    );
    expect(differences).toEqual([
      'missing series {__name__="up",job="b"}',
      'unexpected series {__name__="up",job="c"}',
    ]);
  });

  it('fails on a different timestamp', () => {
    const { equal, differences } = compareQueryResults(
      vector([a, 10, '1']),
      vector([a, 10.001, '1']),
    );
    expect(equal).toBe(false);
    expect(differences).toContain('{__name__="up",job="a"} at 10: expected 1, got no point');
  });

  it('fails on a different result type', () => {
    const scalar: PromQueryData = { resultType: 'scalar', result: [10, '1'] };
    expect(compareQueryResults(vector([a, 10, '1']), scalar).differences).toEqual([
      'result type: expected vector, got scalar',
    ]);
  });

  it('compares matrices point by point: same timestamps, values within tolerance', () => {
    const expected = matrix([
      a,
      [
        [1, '1'],
        [2, '2'],
        [3, '3'],
      ],
    ]);
    expect(
      compareQueryResults(
        expected,
        matrix([
          a,
          [
            [1, '1'],
            [2, '2'],
            [3, '3'],
          ],
        ]),
      ).equal,
    ).toBe(true);
    expect(
      compareQueryResults(
        expected,
        matrix([
          a,
          [
            [1, '1'],
            [3, '3'],
            [4, '4'],
          ],
        ]),
      ).differences,
    ).toEqual([
      '{__name__="up",job="a"} at 2: expected 2, got no point',
      '{__name__="up",job="a"} at 4: unexpected point 4',
    ]);
  });

  it('treats NaN as equal to NaN and infinities by sign, and nothing else as equal to them', () => {
    const expected = matrix([
      a,
      [
        [1, 'NaN'],
        [2, '+Inf'],
        [3, '-Inf'],
      ],
    ]);
    expect(
      compareQueryResults(
        expected,
        matrix([
          a,
          [
            [1, 'NaN'],
            [2, '+Inf'],
            [3, '-Inf'],
          ],
        ]),
      ).equal,
    ).toBe(true);
    expect(
      compareQueryResults(
        expected,
        matrix([
          a,
          [
            [1, '0'],
            [2, '-Inf'],
            [3, '1e308'],
          ],
        ]),
      ).differences,
    ).toHaveLength(3);
  });

  it('ignores float noise around zero but not a real difference from zero', () => {
    expect(compareQueryResults(vector([a, 1, '0']), vector([a, 1, '1e-17'])).equal).toBe(true);
    expect(compareQueryResults(vector([a, 1, '0']), vector([a, 1, '1e-6'])).equal).toBe(false);
  });

  it('compares scalars and strings', () => {
    const scalar = (v: string): PromQueryData => ({ resultType: 'scalar', result: [5, v] });
    const text = (v: string): PromQueryData => ({ resultType: 'string', result: [5, v] });
    expect(compareQueryResults(scalar('2'), scalar('2.0000000001')).equal).toBe(true);
    expect(compareQueryResults(scalar('2'), scalar('3')).equal).toBe(false);
    expect(compareQueryResults(text('abc'), text('abc')).equal).toBe(true);
    expect(compareQueryResults(text('1'), text('1.0')).equal).toBe(false);
  });

  it('requires the same order only when asked to', () => {
    const expected = vector([a, 1, '2'], [b, 1, '1']);
    const swapped = vector([b, 1, '1'], [a, 1, '2']);
    expect(compareQueryResults(expected, swapped).equal).toBe(true);
    expect(compareQueryResults(expected, swapped, { ordered: true }).equal).toBe(false);
  });

  it('fails when a result holds the same label set twice', () => {
    const doubled = vector([a, 1, '1'], [a, 1, '1']);
    expect(compareQueryResults(vector([a, 1, '1']), doubled).differences).toEqual([
      'actual result holds {__name__="up",job="a"} twice',
    ]);
  });

  it('compares native histograms by count, sum and buckets', () => {
    const histogram = (count: string, bucketCount: string): PromQueryData => ({
      resultType: 'vector',
      result: [
        {
          metric: a,
          histogram: [1, { count, sum: '3.5', buckets: [[0, '0.5', '1', bucketCount]] }],
        },
      ],
    });
    expect(compareQueryResults(histogram('4', '4'), histogram('4', '4')).equal).toBe(true);
    expect(compareQueryResults(histogram('4', '4'), histogram('4', '3')).equal).toBe(false);
    expect(compareQueryResults(histogram('4', '4'), histogram('5', '4')).equal).toBe(false);
    expect(compareQueryResults(histogram('4', '4'), vector([a, 1, '4'])).equal).toBe(false);
  });

  it('expectSameQueryResult throws with the differences', () => {
    expect(() => expectSameQueryResult(vector([a, 1, '1']), vector([a, 1, '2']))).toThrow(
      /query results differ:\n.*expected 1, got 2/,
    );
    expect(() => expectSameQueryResult(vector([a, 1, '1']), vector([a, 1, '1']))).not.toThrow();
  });
});

describe('parsePromFloat and floatsMatch', () => {
  it('reads the API spellings of special floats and rejects garbage', () => {
    expect(parsePromFloat('+Inf')).toBe(Infinity);
    expect(parsePromFloat('-Inf')).toBe(-Infinity);
    expect(parsePromFloat('NaN')).toBeNaN();
    expect(parsePromFloat('1.5e3')).toBe(1500);
    expect(() => parsePromFloat('abc')).toThrow(/not a Prometheus float/);
  });

  it('applies the absolute tolerance when asked', () => {
    expect(floatsMatch(100, 100.5, { relTolerance: 0, absTolerance: 1 })).toBe(true);
    expect(floatsMatch(100, 102, { relTolerance: 0, absTolerance: 1 })).toBe(false);
  });
});
