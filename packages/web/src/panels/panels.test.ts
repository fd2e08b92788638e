import { describe, expect, it } from 'vitest';
import { addPanel, checkSchema, dashboardV8Schema, panelSchema } from '@o2/dashboards';
import { promqlLegend } from './legend';
import {
  axisItem,
  builderSql,
  defaultFields,
  newDashboard,
  newPanel,
  queryText,
} from './panel-factory';
import { promSeries, sqlSeries } from './series';
import { formatUnit } from './units';
import { substituteVariables, valuesFilter, variableText } from './variables';

const ALL = '_o2_all_';

describe('variable substitution', () => {
  const values = new Map<string, string | string[]>([
    ['namespace', 'payments'],
    ['ns', ['a', 'b']],
    ['pods', [ALL]],
    ['empty', []],
  ]);
  it('replaces $name, ${name} and {{name}}, longest name first, and leaves unknown names', () => {
    const promql = 'x{n=~"$namespace", m=~"${ns}", o=~"{{ ns }}"}[$__interval]';
    expect(substituteVariables(promql, values, 'promql', ALL)).toBe(
      'x{n=~"payments", m=~"a|b", o=~"a|b"}[$__interval]',
    );
    expect(substituteVariables('$nsx $ns', values, 'promql', ALL)).toBe('$nsx a|b');
  });
  it("joins multi-values as SQL's quoted list or PromQL's alternation, or by the named format", () => {
    expect(substituteVariables('k IN ($ns)', values, 'sql', ALL)).toBe("k IN ('a','b')");
    expect(substituteVariables('${ns:csv}|${ns:pipe}|${ns:doublequote}', values, 'sql', ALL)).toBe(
      'a,b|a|b|"a","b"',
    );
    expect(variableText(["o'k"], 'sql', ALL, 'singlequote')).toBe("'o''k'");
  });
  it('sends the placeholder for All and for an empty selection', () => {
    expect(substituteVariables("k = '$pods' AND j IN ($empty)", values, 'sql', ALL)).toBe(
      `k = '${ALL}' AND j IN (${ALL})`,
    );
  });
});

describe('cascading query variables', () => {
  it("turns a filter on another variable into _values' col=v1,v2, and All into no filter", () => {
    const values = new Map<string, string | string[]>([
      ['ns', ['a', 'b']],
      ['all', [ALL]],
    ]);
    expect(valuesFilter([{ name: 'k8s_namespace_name', value: '$ns' }], values, ALL)).toBe(
      'k8s_namespace_name=a,b',
    );
    expect(valuesFilter([{ name: 'x', value: '${all}' }], values, ALL)).toBeUndefined();
    expect(valuesFilter([{ name: '', value: 'v' }], values, ALL)).toBeUndefined();
    expect(valuesFilter([{ name: 'x', value: 'fixed' }], values, ALL)).toBe('x=fixed');
  });
});

describe('legend, units', () => {
  it('fills {label} and {{label}} placeholders, else shows the label set as JSON', () => {
    const labels = { pod: 'web-1', k8s_namespace_name: 'shop' };
    expect(promqlLegend('{pod} @ {{k8s_namespace_name}} {missing}', labels)).toBe('web-1 @ shop ');
    expect(promqlLegend('', { a: '1' })).toBe('{"a":"1"}');
  });
  it('formats bytes, durations, percent and custom units with the decimals', () => {
    expect(formatUnit(3 * 1024 * 1024, 'bytes', 1)).toBe('3.0 MB');
    expect(formatUnit(1500, 'milliseconds', 2)).toBe('1.50 s');
    expect(formatUnit(0.5, 'percent-1', 0)).toBe('50%');
    expect(formatUnit(2, 'custom', 1, ' req')).toBe('2.0 req');
    expect(formatUnit(2.345, undefined, undefined)).toBe('2.35');
  });
});

describe('panels in the v8 schema', () => {
  it('builds PromQL panels and dashboards that @o2/dashboards accepts and that survive JSON', () => {
    const panel = newPanel({
      type: 'line',
      queryType: 'promql',
      title: 'Mem',
      query: 'up',
      legend: '{job}',
    });
    const again = checkSchema(panelSchema, JSON.parse(JSON.stringify(panel)), 'panel');
    expect(again).toEqual(panel);
    const doc = addPanel(newDashboard('D', ''), panel).dashboard;
    expect(checkSchema(dashboardV8Schema, JSON.parse(JSON.stringify(doc)), 'dashboard')).toEqual(
      doc,
    );
    expect(doc.tabs?.[0]?.panels?.[0]?.layout).toEqual({ x: 0, y: 0, w: 24, h: 9, i: 1 });
    expect(queryText(panel.queries[0]!, panel.queryType)).toBe('up');
  });
  it('writes builder SQL with quoted names, grouping X and breakdown', () => {
    const fields = {
      ...defaultFields('k8s "logs"', 'logs'),
      breakdown: [axisItem('breakdown_1', 'level', null)],
    };
    expect(builderSql(fields)).toBe(
      'SELECT histogram("_timestamp") as "x_axis_1", "level" as "breakdown_1", ' +
        'count("_timestamp") as "y_axis_1" FROM "k8s ""logs""" ' +
        'GROUP BY "x_axis_1", "breakdown_1" ORDER BY "x_axis_1" ASC',
    );
    expect(builderSql(defaultFields('', 'logs'))).toBe('');
  });
});

describe('series', () => {
  it('names PromQL series by the legend and reads times as ms', () => {
    const data = promSeries([{ metric: { ns: 'a' }, values: [[10, '1.5']] }], '{ns}');
    expect(data.series).toEqual([{ name: 'a', points: [[10_000, 1.5]] }]);
  });
  it('splits SQL rows by the breakdown and reads µs and ISO times', () => {
    const rows = [
      { x: '2026-01-01T00:00:00', b: 'info', y: 3 },
      { x: '2026-01-01T00:00:00', b: 'error', y: 1 },
    ];
    const data = sqlSeries(rows, 'x', ['y'], 'b');
    const t = Date.parse('2026-01-01T00:00:00Z');
    expect(data.timeAxis).toBe(true);
    expect(data.series).toEqual([
      { name: 'info', points: [[t, 3]] },
      { name: 'error', points: [[t, 1]] },
    ]);
  });
});
