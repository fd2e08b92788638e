import { describe, expect, it } from 'vitest';
import {
  autoHistogramInterval,
  decodeSql,
  formatTimestampMicros,
  parseHistogramInterval,
  parseValuesFilter,
  searchErrorCode,
  snapHistogramInterval,
  valuesQuery,
} from './index.js';
import { fixedOffsetMicros } from './histogram-interval.js';
import { parseAstJson, stringifyAstJson } from './sql-ast.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return searchErrorCode(err);
  }
  return 'no error';
}

describe('histogram intervals', () => {
  it('parses O2 interval grammar and rejects bare numbers', () => {
    expect(parseHistogramInterval('10 second')).toBe(10);
    expect(parseHistogramInterval('10 seconds')).toBe(10);
    expect(parseHistogramInterval('5m')).toBe(300);
    expect(parseHistogramInterval('2 hrs')).toBe(7200);
    expect(parseHistogramInterval('1 Day')).toBe(86400);
    expect(codeOf(() => parseHistogramInterval('10'))).toBe(20001);
    expect(codeOf(() => parseHistogramInterval('10 weeks'))).toBe(20001);
    expect(codeOf(() => parseHistogramInterval('0 s'))).toBe(20001);
  });

  it('keeps intervals that fit a day and rounds the rest up the ladder', () => {
    expect(snapHistogramInterval(10)).toBe(10);
    expect(snapHistogramInterval(45)).toBe(45);
    expect(snapHistogramInterval(7)).toBe(10);
    expect(snapHistogramInterval(700)).toBe(900);
    expect(snapHistogramInterval(172800)).toBe(172800);
    expect(snapHistogramInterval(90000)).toBe(86400);
  });

  it('picks the auto interval from the time range', () => {
    const s = 1_000_000;
    expect(autoHistogramInterval(0, 0)).toBe(3600);
    expect(autoHistogramInterval(0, 5 * s)).toBe(1);
    expect(autoHistogramInterval(0, 10 * s)).toBe(10);
    expect(autoHistogramInterval(0, 1800 * s)).toBe(15);
    expect(autoHistogramInterval(0, 3600 * s)).toBe(30);
    expect(autoHistogramInterval(0, 2 * 3600 * s)).toBe(60);
    expect(autoHistogramInterval(0, 6 * 3600 * s)).toBe(3600);
    expect(autoHistogramInterval(0, 61 * 86400 * s)).toBe(86400);
  });

  it('reads fixed time-zone offsets', () => {
    expect(fixedOffsetMicros('+08:00')).toBe(8 * 3600 * 1_000_000);
    expect(fixedOffsetMicros('-0530')).toBe(-(5 * 60 + 30) * 60 * 1_000_000);
    expect(fixedOffsetMicros('UTC')).toBe(0);
    expect(fixedOffsetMicros('Asia/Shanghai')).toBeUndefined();
  });
});

describe('SQL text', () => {
  it('quotes identifiers and literals by doubling their quote', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("' OR 1=1 --")).toBe("''' OR 1=1 --'");
    expect(() => quoteLiteral('a\0b')).toThrow();
  });

  it('decodes URL-safe base64 SQL and refuses other text', () => {
    const sql = 'SELECT * FROM "default" WHERE log >= \'?>\'';
    expect(decodeSql(Buffer.from(sql).toString('base64url'), 'base64')).toBe(sql);
    expect(decodeSql(Buffer.from(sql).toString('base64'), 'base64')).toBe(sql);
    expect(decodeSql(sql)).toBe(sql);
    expect(codeOf(() => decodeSql('not base64!', 'base64'))).toBe(20001);
    expect(codeOf(() => decodeSql('x', 'gzip'))).toBe(20001);
  });

  it('builds _values SQL with every user value quoted', () => {
    expect(
      valuesQuery({ stream: 'default', field: 'method', filter: "ns=a',b", keyword: "x' --" }),
    ).toBe(
      `SELECT "method" AS zo_sql_key, COUNT(*) AS zo_sql_num FROM "default" WHERE "ns" IN ('a''', 'b') ` +
        `AND str_match_ignore_case("method", 'x'' --') GROUP BY zo_sql_key ORDER BY zo_sql_num DESC, zo_sql_key ASC`,
    );
    expect(valuesQuery({ stream: 's', streamType: 'logs', field: 'f', noCount: true })).toBe(
      'SELECT "f" AS zo_sql_key FROM "logs"."s" GROUP BY zo_sql_key ORDER BY zo_sql_key ASC',
    );
    expect(parseValuesFilter('a=1,2=3')).toEqual({ column: 'a', values: ['1', '2=3'] });
    expect(codeOf(() => parseValuesFilter('novalue'))).toBe(20001);
  });

  it('keeps integers beyond 2^53 exact through the AST JSON', () => {
    const text = '{"a":[18446744073709551615,-9007199254740993,0.25,12],"s":"99999999999999999"}';
    expect(stringifyAstJson(parseAstJson(text))).toBe(text);
  });
});

describe('timestamps', () => {
  it('formats µs as naive ISO seconds, with a fraction only when there is one', () => {
    expect(formatTimestampMicros(1_700_000_000_000_000n)).toBe('2023-11-14T22:13:20');
    expect(formatTimestampMicros(1_700_000_000_000_123n)).toBe('2023-11-14T22:13:20.000123');
    expect(formatTimestampMicros(-1n)).toBe('1969-12-31T23:59:59.999999');
    expect(formatTimestampMicros(0n)).toBe('1970-01-01T00:00:00');
  });
});
