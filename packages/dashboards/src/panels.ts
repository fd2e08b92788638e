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

function withTabs(dashboard: DashboardV8, tabs: Tab[]): DashboardV8 {
  return { ...dashboard, tabs };
}

/**
 * Adds `panel` to `tabId` (default: the first tab, created as `default` when there is none).
 * An unknown tab is 404; a panel id already used anywhere in the dashboard is 409.
 */
export function addPanel(
  dashboard: DashboardV8,
  panel: Panel,
  tabId?: string,
): { dashboard: DashboardV8; tabId: string } {
  if (findPanel(dashboard, panel.id) !== undefined)
    throw new AppError('CONFLICT', `Panel ${panel.id} already exists in this dashboard`);
  const tabs = [...tabsOf(dashboard)];
  if (tabs.length === 0 && (tabId === undefined || tabId === DEFAULT_TAB.tabId))
    tabs.push({ ...DEFAULT_TAB, panels: [] });
  const index = tabId === undefined ? 0 : tabs.findIndex((t) => t.tabId === tabId);
  const tab = tabs[index];
  if (tab === undefined) throw AppError.notFound(`Tab ${tabId ?? ''} not found`);
  tabs[index] = { ...tab, panels: [...(tab.panels ?? []), panel] };
  return { dashboard: withTabs(dashboard, tabs), tabId: tab.tabId };
}

/** Replaces panel `panelId` (its id is kept); 404 when it is not there. */
export function updatePanel(
  dashboard: DashboardV8,
  panelId: string,
  panel: Panel,
  tabId?: string,
): DashboardV8 {
  const found = findPanel(dashboard, panelId, tabId);
  if (found === undefined) throw AppError.notFound('Panel not found');
  return withTabs(
    dashboard,
    tabsOf(dashboard).map((tab) =>
      tab.tabId !== found.tabId
        ? tab
        : {
            ...tab,
            panels: (tab.panels ?? []).map((p, i) =>
              i === found.index ? { ...panel, id: panelId } : p,
            ),
          },
    ),
  );
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
