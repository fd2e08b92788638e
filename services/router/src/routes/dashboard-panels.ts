import { Router } from 'express';
import { addPanel, checkPanel, deletePanel, updatePanel } from '@o2/dashboards';
import type { DashboardV8 } from '@o2/dashboards';
import type { StoredDashboard } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { jsonObject } from '../http/json-body.js';
import { parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { queryParam } from '../http/query-params.js';
import { addPanelBody } from './dashboard-schemas.js';
import { dashboardHash, requireDashboardWriter } from './dashboard-view.js';
import { findDashboard, requiredHash } from './dashboards.js';
import type { RouteDeps } from './route-deps.js';

/** The stored document as an object; it passed the v8 schema when it was written. */
function documentOf(stored: StoredDashboard): DashboardV8 {
  return JSON.parse(stored.data) as DashboardV8;
}

/**
 * Panel-level edits (O2-CONTRACT §11): `POST /{org}/dashboards/{id}/panels?hash=` adds one
 * (placed below the tab's panels when it has no layout) and `PUT …/panels/{panel_id}?hash=`
 * replaces one (keeping its layout when the new one has none), both answering `{panel, hash,
 * tab_id}`; `DELETE …/panels/{panel_id}?hash=&tabId=` answers `{hash, panel_id}`. Each needs
 * the current `hash` (400 without, 409 when stale); the document is re-serialised.
 */
export function dashboardPanelsRoutes(deps: RouteDeps): Router {
  const { metaStore, now } = deps;
  const router = Router();

  const save = async (stored: StoredDashboard, expected: string, next: DashboardV8) => {
    const data = JSON.stringify(next);
    const saved = await metaStore.dashboards.update(stored.org, stored.dashboardId, expected, {
      title: stored.title,
      description: stored.description,
      owner: stored.owner,
      role: stored.role,
      created: stored.created,
      version: 8,
      hash: dashboardHash(data),
      data,
      updatedAt: now() * 1000,
    });
    return saved.hash;
  };

  router.post('/:org/dashboards/:id/panels', ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    const expected = requiredHash(req);
    const body = parseBody(addPanelBody, req.body);
    const panel = checkPanel(body.panel);
    const stored = await findDashboard(metaStore, org, pathParam(req.params, 'id'));
    const added = addPanel(documentOf(stored), panel, body.tab_id);
    const hash = await save(stored, expected, added.dashboard);
    res.json({ panel: added.panel, hash, tab_id: added.tabId });
  });

  router.put('/:org/dashboards/:id/panels/:panel_id', ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    const expected = requiredHash(req);
    const body = jsonObject(req.body);
    // O2 takes `{"panel": …, "tab_id"?}`; a bare panel (what older UIs send) is taken too.
    const wrapped = typeof body['panel'] === 'object' && body['panel'] !== null;
    const panel = checkPanel(wrapped ? body['panel'] : body);
    const bodyTab = wrapped && typeof body['tab_id'] === 'string' ? body['tab_id'] : undefined;
    const panelId = pathParam(req.params, 'panel_id');
    const stored = await findDashboard(metaStore, org, pathParam(req.params, 'id'));
    const next = updatePanel(
      documentOf(stored),
      panelId,
      panel,
      bodyTab ?? queryParam(req, 'tabId'),
    );
    const hash = await save(stored, expected, next.dashboard);
    res.json({ panel: next.panel, hash, tab_id: next.tabId });
  });

  router.delete('/:org/dashboards/:id/panels/:panel_id', async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    const expected = requiredHash(req);
    const panelId = pathParam(req.params, 'panel_id');
    const stored = await findDashboard(metaStore, org, pathParam(req.params, 'id'));
    const next = deletePanel(documentOf(stored), panelId, queryParam(req, 'tabId'));
    res.json({ hash: await save(stored, expected, next), panel_id: panelId });
  });

  return router;
}
