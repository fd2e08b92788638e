import { AppError } from '@o2/errors';
import { checkSchema } from './dashboard-document.js';
import { panelSchema } from './v8-schema.js';
import type { DashboardV8, Panel, Tab } from './v8-schema.js';

/**
 * Panel-level edits of a v8 dashboard (O2's `/dashboards/{id}/panels` routes, and the UI's
 * "add to dashboard"). They work on the parsed document and return a new one; the caller
 * serialises it, so a panel edit re-writes the document in `JSON.stringify`'s form.
 */

/** The tab O2 creates for a dashboard that has none. */
export const DEFAULT_TAB = { tabId: 'default', name: 'Default' } as const;

export interface PanelLocation {
  tabId: string;
  index: number;
  panel: Panel;
}

/** Checks a panel body against the v8 schema (422 naming the missing key). */
export function checkPanel(value: unknown): Panel {
  return checkSchema(panelSchema, value, 'panel', ['panel']);
}

function tabsOf(dashboard: DashboardV8): Tab[] {
  return dashboard.tabs ?? [];
}

/** Where panel `panelId` is (in `tabId` when given, else in any tab); undefined when absent. */
export function findPanel(
  dashboard: DashboardV8,
  panelId: string,
  tabId?: string,
): PanelLocation | undefined {
  for (const tab of tabsOf(dashboard)) {
    if (tabId !== undefined && tab.tabId !== tabId) continue;
    const index = (tab.panels ?? []).findIndex((p) => p.id === panelId);
    const panel = tab.panels?.[index];
    if (panel !== undefined) return { tabId: tab.tabId, index, panel };
  }
  return undefined;
}

/** Every panel of the dashboard with its tab, in order. */
export function allPanels(dashboard: DashboardV8): Array<{ tabId: string; panel: Panel }> {
  return tabsOf(dashboard).flatMap((tab) =>
    (tab.panels ?? []).map((panel) => ({ tabId: tab.tabId, panel })),
  );
}

/** Default size of a panel placed by the server: half the 48-column grid, 9 rows high. */
const NEW_PANEL = { w: 24, h: 9 } as const;

/** Where a panel without a layout goes: below everything in the tab, on the left. */
export function nextLayout(panels: readonly Panel[]): NonNullable<Panel['layout']> {
  let bottom = 0;
  let lastI = 0;
  for (const p of panels) {
    const l = p.layout;
    if (l === null || l === undefined) continue;
    bottom = Math.max(bottom, (l.y ?? 0) + (l.h ?? 0));
    if (typeof l.i === 'number') lastI = Math.max(lastI, l.i);
  }
  return { x: 0, y: bottom, w: NEW_PANEL.w, h: NEW_PANEL.h, i: lastI + 1 };
}

function withTabs(dashboard: DashboardV8, tabs: Tab[]): DashboardV8 {
  return { ...dashboard, tabs };
}

/**
 * Adds `panel` to `tabId` (default: the first tab, created as `default` when there is none),
 * placed below the tab's panels when it has no layout. An unknown tab is 404; a panel id already
 * used anywhere in the dashboard is 409.
 */
export function addPanel(
  dashboard: DashboardV8,
  panel: Panel,
  tabId?: string,
): { dashboard: DashboardV8; tabId: string; panel: Panel } {
  if (findPanel(dashboard, panel.id) !== undefined)
    throw new AppError('CONFLICT', `Panel ${panel.id} already exists in this dashboard`);
  const tabs = [...tabsOf(dashboard)];
  if (tabs.length === 0 && (tabId === undefined || tabId === DEFAULT_TAB.tabId))
    tabs.push({ ...DEFAULT_TAB, panels: [] });
  const index = tabId === undefined ? 0 : tabs.findIndex((t) => t.tabId === tabId);
  const tab = tabs[index];
  if (tab === undefined) throw AppError.notFound(`Tab ${tabId ?? ''} not found`);
  const placed =
    panel.layout === null || panel.layout === undefined
      ? { ...panel, layout: nextLayout(tab.panels ?? []) }
      : panel;
  tabs[index] = { ...tab, panels: [...(tab.panels ?? []), placed] };
  return { dashboard: withTabs(dashboard, tabs), tabId: tab.tabId, panel: placed };
}

/**
 * Replaces panel `panelId`: its id is kept, and its layout too when the new panel has none;
 * 404 when it is not there.
 */
export function updatePanel(
  dashboard: DashboardV8,
  panelId: string,
  given: Panel,
  tabId?: string,
): { dashboard: DashboardV8; tabId: string; panel: Panel } {
  const found = findPanel(dashboard, panelId, tabId);
  if (found === undefined) throw AppError.notFound('Panel not found');
  const layout = given.layout ?? found.panel.layout;
  const panel = {
    ...given,
    id: panelId,
    ...(layout === null || layout === undefined ? {} : { layout }),
  };
  const next = withTabs(
    dashboard,
    tabsOf(dashboard).map((tab) =>
      tab.tabId !== found.tabId
        ? tab
        : { ...tab, panels: (tab.panels ?? []).map((p, i) => (i === found.index ? panel : p)) },
    ),
  );
  return { dashboard: next, tabId: found.tabId, panel };
}

/** Removes panel `panelId`; 404 when it is not there. */
export function deletePanel(dashboard: DashboardV8, panelId: string, tabId?: string): DashboardV8 {
  const found = findPanel(dashboard, panelId, tabId);
  if (found === undefined) throw AppError.notFound('Panel not found');
  return withTabs(
    dashboard,
    tabsOf(dashboard).map((tab) =>
      tab.tabId !== found.tabId
        ? tab
        : { ...tab, panels: (tab.panels ?? []).filter((_, i) => i !== found.index) },
    ),
  );
}
