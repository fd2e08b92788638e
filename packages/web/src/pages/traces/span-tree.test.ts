import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '@o2/api-schemas';
import {
  formatDuration,
  rulerTicks,
  serviceColor,
  spanAttributes,
  spanEvents,
  spanLinks,
  traceBounds,
  treeRows,
} from './span-tree';

const span = (id: string, parent: string, startMs: number, endMs: number): SpanRecord => ({
  trace_id: 't',
  span_id: id,
  reference_parent_span_id: parent,
  service_name: `svc-${id}`,
  operation_name: `op-${id}`,
  span_kind: '2',
  span_status: 'UNSET',
  start_time: startMs * 1e6,
  end_time: endMs * 1e6,
  duration: (endMs - startMs) * 1000,
  _timestamp: startMs * 1000,
});

describe('the waterfall tree', () => {
  const spans = [
    span('c2', 'b', 50, 70),
    span('a', '', 0, 100),
    span('b', 'a', 10, 90),
    span('c1', 'b', 20, 40),
    span('orphan', 'gone', 30, 35),
  ];

  it('orders depth-first with children by start time; an orphan is a root of its own', () => {
    const rows = treeRows(spans, new Set());
    expect(rows.map((r) => [r.span.span_id, r.depth, r.childCount])).toEqual([
      ['a', 0, 1],
      ['b', 1, 2],
      ['c1', 2, 0],
      ['c2', 2, 0],
      ['orphan', 0, 0],
    ]);
  });

  it('leaves out the spans under a collapsed span, and survives a parent cycle', () => {
    expect(treeRows(spans, new Set(['b'])).map((r) => r.span.span_id)).toEqual([
      'a',
      'b',
      'orphan',
    ]);
    const cycle = [span('x', 'y', 0, 1), span('y', 'x', 0, 1)];
    expect(treeRows(cycle, new Set()).map((r) => [r.span.span_id, r.depth])).toEqual([
      ['x', 0],
      ['y', 1],
    ]);
  });

  it('gives the bounds, ticks and human durations', () => {
    expect(traceBounds(spans)).toEqual({ start: 0, end: 100e6 });
    expect(rulerTicks(100_000)).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000]);
    expect([850, 18_000, 1_250_000].map(formatDuration)).toEqual(['850 µs', '18 ms', '1.25 s']);
    expect(serviceColor('shop')).toBe(serviceColor('shop'));
    expect(serviceColor('shop')).not.toBe(serviceColor('product'));
  });
});

describe('span events, links and attributes', () => {
  it('reads the events and links JSON strings, tolerating bad JSON', () => {
    const s = {
      ...span('a', '', 0, 1),
      events: '[{"name":"cache miss","_timestamp":30000000,"key":"reviews:42"}]',
      links: '[{"context":{"traceId":"abc","spanId":"def"},"kind":"follows"}]',
    };
    expect(spanEvents(s)).toEqual([
      { name: 'cache miss', timeNs: 30_000_000, attributes: { key: 'reviews:42' } },
    ]);
    expect(spanLinks(s)).toEqual([
      { traceId: 'abc', spanId: 'def', attributes: { kind: 'follows' } },
    ]);
    expect(spanEvents({ ...s, events: '{not json' })).toEqual([]);
    expect(spanAttributes(s).map(([k]) => k)).not.toContain('events');
  });
});
