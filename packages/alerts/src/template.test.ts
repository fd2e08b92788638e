import { describe, expect, it } from 'vitest';
import { alertQuery, promqlRows, thresholdMet } from './alert-query.js';
import { alertSchema, checkAlert } from './alert-model.js';
import { decideNotify, rememberFingerprints } from './decisions.js';
import { PREBUILT_TEMPLATES, renderRows, renderTemplate } from './template.js';

const base = { name: 'errors', stream_name: 'app', destinations: ['hook'] };

describe('templates', () => {
  it('fills placeholders, escapes for JSON bodies and keeps unknown ones', () => {
    const body = '{"text":"{alert_name}: {alert_count}\\n{rows} {unknown}"}';
    const out = renderTemplate(body, { alert_name: 'a "b"', alert_count: 3, rows: 'x\ny' });
    expect(JSON.parse(out)).toEqual({ text: 'a "b": 3\nx\ny {unknown}' });
    expect(renderTemplate('{alert_name}!', { alert_name: 'q"' })).toBe('q"!');
    expect(renderRows([{ level: 'error', n: 1 }], 'lvl={level} n={n}')).toBe('lvl=error n=1');
    for (const t of PREBUILT_TEMPLATES.filter((p) => p.type === 'http'))
      expect(() => JSON.parse(renderTemplate(t.body, { rows: '"\n' })) as unknown).not.toThrow();
  });
});

describe('alert model and queries', () => {
  it('fills O2 defaults and refuses bad names and shapes', () => {
    const a = alertSchema.parse(base);
    expect(a.trigger_condition).toMatchObject({
      period: 10,
      frequency: 1,
      operator: '>=',
      threshold: 1,
    });
    expect(() => alertSchema.parse({ ...base, name: 'a/b' })).toThrow(/cannot contain/);
    expect(() => checkAlert(alertSchema.parse({ ...base, destinations: [] }))).toThrow(
      'Alert destinations is required',
    );
    expect(() =>
      checkAlert(alertSchema.parse({ ...base, query_condition: { type: 'promql', promql: 'up' } })),
    ).toThrow('promql_condition');
    expect(() =>
      checkAlert(
        alertSchema.parse({ ...base, trigger_condition: { frequency_type: 'cron', cron: 'x' } }),
      ),
    ).toThrow(/cron/);
  });

  it('builds count, aggregation and promql queries', () => {
    const custom = alertQuery(
      alertSchema.parse({
        ...base,
        query_condition: { conditions: [{ column: 'level', operator: '=', value: 'error' }] },
      }),
    );
    expect(custom).toEqual({
      kind: 'sql',
      sql: `SELECT * FROM "app" WHERE ("level" = 'error')`,
      countSql: `SELECT COUNT(*) AS "zo_sql_num" FROM "app" WHERE ("level" = 'error')`,
    });
    const agg = alertQuery(
      alertSchema.parse({
        ...base,
        query_condition: {
          aggregation: {
            group_by: ['host'],
            function: 'p95',
            having: { column: 'ms', operator: '>', value: 200 },
          },
        },
      }),
    );
    expect(agg).toMatchObject({
      sql: `SELECT "host", approx_percentile_cont("ms", 0.95) AS "zo_sql_val" FROM "app" WHERE true GROUP BY "host" HAVING approx_percentile_cont("ms", 0.95) > 200`,
    });
    expect(thresholdMet(3, { operator: '>', threshold: 2 })).toBe(true);
    expect(thresholdMet(2, { operator: '>', threshold: 2 })).toBe(false);
    const rows = promqlRows(
      {
        resultType: 'vector',
        result: [
          { metric: { job: 'a' }, value: [10, '5'] },
          { metric: { job: 'b' }, value: [10, '1'] },
        ],
      },
      { operator: '>', value: 2 },
    );
    expect(rows).toEqual([{ job: 'a', value: 5, _timestamp: 10_000_000 }]);
  });

  it('silences and deduplicates', () => {
    const state = { silencedUntil: 1_000, sentFingerprints: {} };
    expect(decideNotify({ nowMs: 999, state, rows: [] })).toEqual({
      notify: false,
      reason: 'silenced',
    });
    const dedup = { enabled: true, fields: ['host'], windowMs: 100 };
    const first = decideNotify({ nowMs: 1_000, state, rows: [{ host: 'a' }], dedup });
    expect(first.notify).toBe(true);
    const sent = rememberFingerprints(state, first.notify ? first.fingerprints : [], 1_000, 100);
    const again = { silencedUntil: 0, sentFingerprints: sent };
    expect(
      decideNotify({ nowMs: 1_050, state: again, rows: [{ host: 'a', x: 1 }], dedup }),
    ).toEqual({
      notify: false,
      reason: 'deduplicated',
    });
    expect(decideNotify({ nowMs: 1_050, state: again, rows: [{ host: 'b' }], dedup }).notify).toBe(
      true,
    );
    expect(decideNotify({ nowMs: 1_100, state: again, rows: [{ host: 'a' }], dedup }).notify).toBe(
      true,
    );
  });
});
