import { describe, expect, it } from 'vitest';
import { readDashboardText } from './dashboard-document.js';
import { addPanel, deletePanel, findPanel, updatePanel } from './panels.js';
import type { DashboardV8, Panel } from './v8-schema.js';

const server = { dashboardId: 'NEW', owner: 'me@x.io', created: '2026-01-01T00:00:00.000Z' };

const panel = (id: string, title = id): Panel => ({
  id,
  type: 'line',
  title,
  description: '',
  config: { show_legends: true },
  queries: [
    {
      customQuery: true,
      query: 'up',
      fields: {
        stream: 'up',
        stream_type: 'metrics',
        x: [],
        y: [],
        filter: { filterType: 'group', logicalOperator: 'AND', conditions: [] },
      },
      config: { promql_legend: '' },
    },
  ],
});

describe('readDashboardText', () => {
  it('keeps a v8 body byte for byte but for the keys the server owns', () => {
    const body = '{"version":8, "title":"t", "owner":"", "dashboardId":"x", "n":1.0}';
    const doc = readDashboardText(body, server);
    expect(doc.text).toBe(
      '{"version":8, "title":"t", "owner":"me@x.io", "dashboardId":"NEW", "n":1.0,"created":"2026-01-01T00:00:00.000Z"}',
    );
    expect(doc.sourceVersion).toBe(8);
    expect(doc.dashboard.owner).toBe('me@x.io');
  });

  it('answers 400 for malformed JSON or an unknown version and 422 for a missing key', () => {
    expect(() => readDashboardText('{', server)).toThrow(/^Invalid JSON body/);
    expect(() => readDashboardText('{"version":"8","title":"t"}', server)).toThrow(
      'Unsupported dashboard version: "8"',
    );
    const noPanelId = JSON.stringify({
      title: 't',
      tabs: [{ tabId: 'a', name: 'A', panels: [{}] }],
    });
    expect(() => readDashboardText(noPanelId, server)).toThrow(
      expect.objectContaining({
        code: 'UNPROCESSABLE',
        message: 'Invalid dashboard: tabs.0.panels.0.id is required',
      }),
    );
    expect(() => readDashboardText('{"title": 5}', server)).toThrow(
      'Invalid dashboard: title must be of type string',
    );
  });

  it('migrates v2 panels into a Default tab on the 48-column grid', () => {
    const v2 = {
      version: 2,
      title: 't',
      panels: [{ ...panel('p'), layout: { x: 3, y: 1, w: 6, h: 4, i: 1 } }],
    };
    const doc = readDashboardText(JSON.stringify(v2), server);
    expect(doc.sourceVersion).toBe(2);
    expect(doc.dashboard.tabs).toEqual([
      {
        tabId: 'default',
        name: 'Default',
        panels: [{ ...panel('p'), layout: { x: 12, y: 1, w: 24, h: 4, i: 1 } }],
      },
    ]);
    expect(JSON.parse(doc.text)).toMatchObject({ version: 8, dashboardId: 'NEW' });
  });
});

describe('panel edits', () => {
  const dashboard: DashboardV8 = {
    title: 't',
    tabs: [
      { tabId: 'a', name: 'A', panels: [panel('p1')] },
      { tabId: 'b', name: 'B', panels: [panel('p2')] },
    ],
  };

  it('adds to the first or a named tab, refusing a duplicate id or an unknown tab', () => {
    const first = addPanel(dashboard, panel('p3'));
    expect(first.tabId).toBe('a');
    expect(first.panel.layout).toEqual({ x: 0, y: 0, w: 24, h: 9, i: 1 });
    const second = addPanel(first.dashboard, panel('p4'));
    expect(second.panel.layout).toEqual({ x: 0, y: 9, w: 24, h: 9, i: 2 });
    expect(findPanel(first.dashboard, 'p3')).toMatchObject({ tabId: 'a', index: 1 });
    expect(addPanel(dashboard, panel('p3'), 'b').dashboard.tabs?.[1]?.panels).toHaveLength(2);
    expect(() => addPanel(dashboard, panel('p2'))).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(() => addPanel(dashboard, panel('p4'), 'zz')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(dashboard.tabs?.[0]?.panels).toHaveLength(1);
  });

  it('updates keeping the id, and deletes, in the given tab only', () => {
    const placed = { ...panel('p2'), layout: { x: 0, y: 9, w: 24, h: 9, i: 2 } };
    const withLayout: DashboardV8 = {
      ...dashboard,
      tabs: [dashboard.tabs![0]!, { tabId: 'b', name: 'B', panels: [placed] }],
    };
    const updated = updatePanel(withLayout, 'p2', panel('other', 'renamed'));
    expect(updated.tabId).toBe('b');
    expect(findPanel(updated.dashboard, 'p2')?.panel).toMatchObject({
      title: 'renamed',
      layout: placed.layout,
    });
    expect(() => updatePanel(dashboard, 'p2', panel('x'), 'a')).toThrow('Panel not found');
    const removed = deletePanel(dashboard, 'p1', 'a');
    expect(findPanel(removed, 'p1')).toBeUndefined();
    expect(findPanel(removed, 'p2')).toBeDefined();
  });
});
