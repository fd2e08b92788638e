import { describe, expect, it } from 'vitest';
import { parsePromql } from '../parser/parse.js';
import { formatExpr, prettyExpr } from './format-expr.js';

const flat = (q: string) => formatExpr(parsePromql(q));

describe('formatExpr / prettyExpr (format_query)', () => {
  it('prints one line with Prometheus spacing', () => {
    expect(flat('sum(rate(x{a="b"}[5m]))by(job)')).toBe('sum by (job) (rate(x{a="b"}[5m]))');
    expect(flat('a/on(i)group_left(j)b')).toBe('a / on (i) group_left (j) b');
    expect(flat('x>bool 1')).toBe('x > bool 1');
    expect(flat('x offset 5m @ 100')).toBe('x @ 100.000 offset 5m');
    expect(flat('rate(x[1h:5m] offset 1d)')).toBe('rate(x[1h:5m] offset 1d)');
    expect(flat('topk(3,-x)')).toBe('topk(3, -x)');
    expect(flat('{__name__=~"a.*",b!="c"}')).toBe('{__name__=~"a.*", b!="c"}');
  });

  it('splits expressions longer than 100 characters over indented lines', () => {
    const query =
      'sum by (job) (rate(http_requests_total{handler="/api/v1/query",instance="localhost:9090",code="200"}[5m])) > on (job) 1000 * avg(up)';
    expect(prettyExpr(parsePromql(query))).toBe(
      [
        '  sum by (job) (',
        '    rate(http_requests_total{handler="/api/v1/query", instance="localhost:9090", code="200"}[5m])',
        '  )',
        '> on (job)',
        '  1000 * avg(up)',
      ].join('\n'),
    );
  });
});
