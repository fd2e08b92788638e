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
 * Panel-level edits (O2-CONTRACT §11): `POST /{org}/dashboards/{id}/panels?hash=` adds one,
 * `PUT|DELETE …/panels/{panel_id}?hash=&tabId=` replace or remove one. Each needs the current
 * `hash` (400 without, 409 when stale) and answers the new one; the document is re-serialised.
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
    res.json({ panel, hash, tab_id: added.tabId });
  });

  router.put('/:org/dashboards/:id/panels/:panel_id', ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    const expected = requiredHash(req);
    const body = jsonObject(req.body);
    // O2's UI sends the panel itself; `{"panel": …}` (the POST shape) is taken too.
    const panel = checkPanel(
      'panel' in body && typeof body['panel'] === 'object' ? body['panel'] : body,
    );
    const panelId = pathParam(req.params, 'panel_id');
    const stored = await findDashboard(metaStore, org, pathParam(req.params, 'id'));
    const next = updatePanel(documentOf(stored), panelId, panel, queryParam(req, 'tabId'));
    res.json({ hash: await save(stored, expected, next), panel_id: panelId });
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
