import { describe, expect, it } from 'vitest';
import {
  addToWhere,
  buildSql,
  decodeQuery,
  encodeQuery,
  equalsFilter,
  looksLikeSql,
} from './query';

describe('logs query state', () => {
  it('builds quick-mode SQL on the picked stream, newest first', () => {
    expect(buildSql('k8s', false, "match_all('x')")).toBe(
      `SELECT * FROM "k8s" WHERE match_all('x') ORDER BY _timestamp DESC`,
    );
    expect(buildSql('a"b', false, '')).toBe('SELECT * FROM "a""b" ORDER BY _timestamp DESC');
  });

  it('recognises SQL from the text as well as the toggle', () => {
    expect(looksLikeSql('select count(*) from "k8s"')).toBe(true);
    expect(looksLikeSql("match_all('select from')")).toBe(false);
    expect(buildSql('k8s', false, ' SELECT * FROM "x" ')).toBe('SELECT * FROM "x"');
  });

  it('adds a filter into the WHERE, before ORDER BY / LIMIT', () => {
    expect(addToWhere('SELECT * FROM "k" ORDER BY _timestamp DESC', "a='1'")).toBe(
      `SELECT * FROM "k" WHERE a='1' ORDER BY _timestamp DESC`,
    );
    expect(addToWhere(`SELECT * FROM "k" WHERE b=2 LIMIT 5`, "a='1'")).toBe(
      `SELECT * FROM "k" WHERE b=2 AND a='1' LIMIT 5`,
    );
  });

  it('quotes values and field names in click-to-filter clauses', () => {
    expect(equalsFilter('pod', "o'brien", false)).toBe(`"pod"='o''brien'`);
    expect(equalsFilter('code', 500, true)).toBe('"code"!=500');
  });

  it('round-trips the query through the URL encoding, unicode included', () => {
    const text = "match_all('größe ✓')";
    expect(decodeQuery(encodeQuery(text))).toBe(text);
    expect(decodeQuery('%%%')).toBe('');
  });
});

describe('histogram buckets', () => {
  it('reads the engine keys as UTC and fills the empty buckets of the range', async () => {
    const { fillBuckets, toBuckets } = await import('./histogram-buckets');
    const found = toBuckets([{ zo_sql_key: '2026-12-04T16:41:00', zo_sql_num: 3 }]);
    const minute = 60e6;
    const at = Date.parse('2026-12-04T16:41:00Z') * 1000;
    expect(found).toEqual([{ start: at, count: 3 }]);
    expect(fillBuckets(found, at - minute - 1, at + minute, minute)).toEqual([
      { start: at - 2 * minute, count: 0 },
      { start: at - minute, count: 0 },
      { start: at, count: 3 },
    ]);
  });
});
