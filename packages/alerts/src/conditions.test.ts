import { describe, expect, it } from 'vitest';
import { conditionSql, matchesRecord, parseConditions } from './conditions.js';

const v2 = {
  version: 2,
  conditions: {
    filterType: 'group',
    logicalOperator: 'AND',
    conditions: [
      {
        filterType: 'condition',
        column: 'level',
        operator: '=',
        value: 'error',
        ignore_case: true,
      },
      {
        filterType: 'group',
        logicalOperator: 'OR',
        conditions: [
          { filterType: 'condition', column: 'code', operator: '>=', value: 500 },
          { filterType: 'condition', column: 'msg', operator: 'Contains', value: "it's 50%" },
        ],
      },
    ],
  },
};

describe('conditions', () => {
  it('reads v1 trees and lists into SQL', () => {
    const c = parseConditions({
      or: [
        [{ column: 'a', operator: '=', value: 1 }],
        { not: { column: 'b', operator: '!=', value: 'x' } },
      ],
    });
    expect(conditionSql(c)).toBe(`(("a" = 1)) OR (NOT ("b" != 'x'))`);
    expect(conditionSql(parseConditions(undefined))).toBe('true');
  });

  it('reads v2 groups, quotes identifiers and escapes literals', () => {
    const sql = conditionSql(parseConditions(v2));
    expect(sql).toBe(
      `(LOWER(CAST("level" AS VARCHAR)) = 'error') AND (("code" >= 500) OR ("msg" LIKE '%it''s 50\\%%'))`,
    );
    expect(conditionSql(parseConditions([{ column: 'x"y', operator: '=', value: 'a' }]))).toBe(
      `("x""y" = 'a')`,
    );
  });

  it('joins v2 items with their group logical operator', () => {
    const c = parseConditions({
      version: 2,
      conditions: {
        filterType: 'group',
        logicalOperator: 'OR',
        conditions: [
          { filterType: 'condition', column: 'a', operator: '=', value: 1 },
          { filterType: 'condition', column: 'b', operator: '=', value: 2 },
        ],
      },
    });
    expect(c.kind).toBe('or');
    expect(matchesRecord(c, { a: 0, b: 2 })).toBe(true);
    expect(matchesRecord(c, { a: 0, b: 3 })).toBe(false);
  });

  it('evaluates records as the SQL would', () => {
    const c = parseConditions(v2);
    expect(matchesRecord(c, { level: 'ERROR', code: 503, msg: '' })).toBe(true);
    expect(matchesRecord(c, { level: 'error', code: 200, msg: "now it's 50% done" })).toBe(true);
    expect(matchesRecord(c, { level: 'error', code: 200, msg: 'fine' })).toBe(false);
    expect(matchesRecord(c, { level: 'info', code: 503 })).toBe(false);
    expect(
      matchesRecord(parseConditions([{ column: 'n', operator: '<', value: '10' }]), { n: 9 }),
    ).toBe(true);
  });

  it('refuses malformed trees with clear messages', () => {
    expect(() => parseConditions([{ column: 'a', operator: 'like', value: 1 }])).toThrow(
      'Invalid condition operator: "like"',
    );
    expect(() => parseConditions([{ column: '', operator: '=', value: 1 }])).toThrow(/column/);
    expect(() => parseConditions({ and: 'x' })).toThrow('"and" must be a list');
    let deep: unknown = { column: 'a', operator: '=', value: 1 };
    for (let i = 0; i < 40; i++) deep = { not: deep };
    expect(() => parseConditions(deep)).toThrow('nested too deeply');
  });
});
