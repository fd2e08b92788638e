import { describe, expect, it } from 'vitest';
import { searchErrorCode } from '@o2/errors';
import {
  buildTraceIdSet,
  checkFilter,
  checkTraceId,
  latestTracesSql,
  quoteIdent,
  quoteLiteral,
  traceDag,
  traceIdSetMayContain,
  traceSummaries,
} from './index.js';

const ID = (c: string) => c.repeat(32);

describe('SQL text', () => {
  it('quotes identifiers and escapes literals so no value can end them', () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(() => quoteLiteral('a\0b')).toThrow();
  });

  it('accepts a filter that stays one expression, quotes and nested parentheses included', () => {
    for (const ok of [
      "service_name = 'shop'",
      '(a = 1 OR b = \'x)\') AND "odd) name" = 2',
      "operation_name = 'it''s'",
      "operation_name = E'it\\'s (1)'",
      "x = date'2020-01-01' AND name = 'a\\'",
      'trace_id IN (SELECT trace_id FROM "default" WHERE span_status = \'ERROR\')',
    ])
      expect(checkFilter(` ${ok} `)).toBe(ok);
  });

  it('refuses a filter that could close the WHERE or hide its end, as invalid SQL (20001)', () => {
    for (const bad of [
      '1=1) OR (1=1',
      '1=1) UNION SELECT * FROM x WHERE (1=1',
      '(1=1',
      "a = 'open",
      'a = "open',
      '1=1; DROP TABLE x',
      '1=1 -- )',
      '1=1 /* ) */',
      '$1 = 1',
      // DuckDB reads E'\'' as one quote: the rest is outside any string for it.
      "x = E'\\'' ) UNION ALL SELECT * FROM \"other\" WHERE ( '1'='1",
    ]) {
      let code: number | undefined;
      try {
        checkFilter(bad);
      } catch (error) {
        code = searchErrorCode(error);
      }
      expect([bad, code]).toEqual([bad, 20001]);
    }
  });

  it('puts the filter in parentheses and sorts by the chosen key', () => {
    const sql = latestTracesSql('my "s"', "a = 'x'", 'duration', 'asc');
    expect(sql).toContain(`FROM "my ""s""" WHERE (a = 'x') GROUP BY trace_id`);
    expect(sql).toContain('ORDER BY zo_sql_duration ASC, trace_id ASC');
  });
});

describe('trace ids', () => {
  it('accepts 32 hex characters in any case and refuses the rest', () => {
    expect(checkTraceId(ID('A'))).toBe(ID('a'));
    for (const bad of [undefined, '', 'abc', ID('g'), `${ID('a')}0`, "' OR 1=1 --"])
      expect(() => checkTraceId(bad)).toThrow();
  });
});

describe('trace-id set', () => {
  it('holds exactly the ids of its file', () => {
    const ids = Array.from({ length: 500 }, (_, i) => i.toString(16).padStart(32, '0'));
    const set = buildTraceIdSet([...ids, ...ids, null, undefined]);
    expect(set.byteLength).toBe(10 + 500 * 16);
    for (const id of ids) expect(traceIdSetMayContain(set, id)).toBe(true);
    expect(traceIdSetMayContain(set, ID('f'))).toBe(false);
    expect(traceIdSetMayContain(set, (1000).toString(16).padStart(32, '0'))).toBe(false);
    expect(traceIdSetMayContain(buildTraceIdSet([]), ID('a'))).toBe(false);
  });

  it('folds upper-case spellings into the lower-case id', () => {
    const set = buildTraceIdSet([ID('a'), ID('A'), ID('B'), ID('B')]);
    expect(set).toEqual(buildTraceIdSet([ID('b'), ID('a')]));
    expect(set.byteLength).toBe(10 + 2 * 16);
    expect(traceIdSetMayContain(set, ID('c'))).toBe(false);
  });

  it('never rules a file out when it cannot be sure', () => {
    const partial = buildTraceIdSet([ID('a'), 'not-a-trace-id']);
    expect(traceIdSetMayContain(partial, ID('b'))).toBe(true);
    expect(traceIdSetMayContain(new Uint8Array([1, 2, 3]), ID('b'))).toBe(true);
    const truncated = buildTraceIdSet([ID('a'), ID('c')]).slice(0, 20);
    expect(traceIdSetMayContain(truncated, ID('b'))).toBe(true);
    expect(traceIdSetMayContain(buildTraceIdSet([ID('a')]), 'xyz')).toBe(true);
  });
});

describe('shaping', () => {
  it('joins page rows, service breakdown and root spans into §9.2 hits', () => {
    const [hit] = traceSummaries(
      [
        {
          trace_id: ID('a'),
          trace_start_time: 1_000_000_000,
          trace_end_time: 1_100_000_000,
          span_count: 3,
          error_count: 1,
        },
      ],
      [
        { trace_id: ID('a'), service_name: 'web', span_count: 2, duration: 100_000 },
        { trace_id: ID('a'), service_name: 'db', span_count: 1, duration: 5_000 },
      ],
      [{ trace_id: ID('a'), service_name: 'web', operation_name: 'GET /' }],
    );
    expect(hit).toMatchObject({
      trace_id: ID('a'),
      start_time: 1_000_000_000,
      end_time: 1_100_000_000,
      duration: 100_000,
      spans: [3, 1],
      service_name: [
        { service_name: 'web', count: 2, duration: 100_000 },
        { service_name: 'db', count: 1, duration: 5_000 },
      ],
      first_event: { service_name: 'web', operation_name: 'GET /' },
    });
  });

  it('links spans to parents present in the trace only', () => {
    const dag = traceDag(ID('a'), [
      { span_id: 'p', service_name: 'a' },
      { span_id: 'c', parent_span_id: 'p' },
      { span_id: 'o', parent_span_id: 'missing' },
    ]);
    expect(dag.edges).toEqual([{ from: 'p', to: 'c' }]);
    expect(dag.nodes.map((n) => n.parent_span_id)).toEqual([null, 'p', 'missing']);
  });
});
