import { describe, expect, it } from 'vitest';
import { labelValuesSql, seriesSamplesSql, whereClause } from './selector-sql.js';
import type { MetricStreamShape } from './selector-sql.js';

const SHAPE: MetricStreamShape = {
  stream: 'http_requests_total',
  labels: ['__name__', 'code', 'job'],
  histograms: false,
  exemplars: false,
};

describe('selector SQL', () => {
  it('reads an absent label as the empty string and anchors regexes with dot-all', () => {
    expect(whereClause([{ type: '=', name: 'job', value: 'api' }], SHAPE)).toBe(
      ` WHERE coalesce("job", '') = 'api'`,
    );
    expect(whereClause([{ type: '!~', name: 'code', value: '5..' }], SHAPE)).toBe(
      ` WHERE NOT regexp_full_match(coalesce("code", ''), '(?s:5..)')`,
    );
  });

  it('decides matchers on a label the stream lacks without SQL', () => {
    expect(whereClause([{ type: '=', name: 'zone', value: '' }], SHAPE)).toBe('');
    expect(whereClause([{ type: '!~', name: 'zone', value: 'x' }], SHAPE)).toBe('');
    expect(whereClause([{ type: '=', name: 'zone', value: 'eu' }], SHAPE)).toBeUndefined();
    expect(whereClause([{ type: '=~', name: 'zone', value: '.+' }], SHAPE)).toBeUndefined();
  });

  it('quotes identifiers and literals: user text never ends a string or a name', () => {
    const shape = { ...SHAPE, stream: 'a"b', labels: ['__name__', 'we"ird'] };
    const where = whereClause([{ type: '=', name: 'we"ird', value: "x' OR '1'='1" }], shape)!;
    expect(where).toBe(` WHERE coalesce("we""ird", '') = 'x'' OR ''1''=''1'`);
    expect(labelValuesSql(shape, 'we"ird', where, 10)).toContain('FROM "a""b"');
    expect(() => whereClause([{ type: '=', name: 'job', value: 'a\0b' }], SHAPE)).toThrow(/NUL/);
    expect(() => whereClause([{ type: '=~', name: 'job', value: '(' }], SHAPE)).toThrow(
      /invalid regular expression/,
    );
  });

  it('groups samples per series as unordered lists (the reader orders and bounds them)', () => {
    const sql = seriesSamplesSql({ ...SHAPE, histograms: true }, '', 30_000, 40_001);
    expect(sql).toContain('list(CAST("_timestamp" AS DOUBLE)) AS __o2_times__');
    // A stream holding native histograms lists their JSON beside the float values.
    expect(sql).toContain('ELSE list("__histogram__") END AS __o2_histograms__');
    expect(seriesSamplesSql(SHAPE, '', 30_000, 40_001)).toContain('NULL AS __o2_histograms__');
    expect(sql).toMatch(/GROUP BY "__name__", "code", "job" LIMIT 40001$/);
  });
});
