import { describe, expect, it } from 'vitest';
import { promqlSpot } from '../../editor/promql-context';
import { withMatcher } from './matcher';

describe('label browser matcher', () => {
  it('adds a matcher to the metric selector, replaces one on the same label, or starts a query', () => {
    expect(withMatcher('', 'm', 'ns', 'a')).toBe('m{ns="a"}');
    expect(withMatcher('sum(m) by (ns)', 'm', 'ns', 'a')).toBe('sum(m{ns="a"}) by (ns)');
    expect(withMatcher('m{pod="p"}', 'm', 'ns', 'a')).toBe('m{pod="p",ns="a"}');
    expect(withMatcher('m{ns=~"x"}', 'm', 'ns', 'b"c')).toBe('m{ns="b\\"c"}');
    expect(withMatcher('rate(m_total[5m])', 'm', 'ns', 'a')).toBe('m{ns="a"}');
  });
});

describe('PromQL completion context', () => {
  it('tells metric names, label names and label values apart', () => {
    expect(promqlSpot('sum(k8s_po')).toEqual({ kind: 'metric', prefix: 'k8s_po' });
    expect(promqlSpot('up{jo')).toEqual({ kind: 'label', metric: 'up', prefix: 'jo' });
    expect(promqlSpot('up{job="a", ')).toEqual({ kind: 'label', metric: 'up', prefix: '' });
    expect(promqlSpot('up{job=~"ap')).toEqual({
      kind: 'value',
      metric: 'up',
      label: 'job',
      prefix: 'ap',
    });
    expect(promqlSpot('sum(up) by (jo')).toEqual({
      kind: 'label',
      metric: undefined,
      prefix: 'jo',
    });
  });
});
