import { Router } from 'express';
import type { Request } from 'express';
import { AppError } from '@o2/errors';
import type { TimedAnnotation } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { queryParam } from '../http/query-params.js';
import {
  annotationBody,
  createAnnotationsBody,
  deleteAnnotationsBody,
  panelIdsBody,
} from './dashboard-schemas.js';
import { newId, requireDashboardWriter } from './dashboard-view.js';
import { findDashboard } from './dashboards.js';
import type { RouteDeps } from './route-deps.js';

/** O2's `TimedAnnotation` body. */
function annotationJson(a: TimedAnnotation) {
  return {
    annotation_id: a.annotationId,
    start_time: a.startTime,
    end_time: a.endTime,
    title: a.title,
    text: a.text,
    tags: a.tags,
    panels: a.panels,
  };
}

function timeParam(req: Request, name: string): number {
  const text = queryParam(req, name);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw AppError.invalidArgument(`${name} must be a non-negative integer (µs)`);
  return Number(text);
}

/**
 * Timed annotations of a dashboard (O2-CONTRACT §11 / Appendix A): `GET|POST|DELETE
 * /{org}/dashboards/{id}/annotations`, `PUT …/annotations/{aid}`, `DELETE
 * …/annotations/panels/{aid}` (a list of panel ids to take it off). The dashboard must exist in
 * the caller's org.
 */
export function dashboardAnnotationsRoutes(deps: RouteDeps): Router {
  const { metaStore, now } = deps;
  const router = Router();
  const base = '/:org/dashboards/:id/annotations';

  const dashboardOf = async (req: Request, write: boolean) => {
    const { org, role } = orgContext(req);
    if (write) requireDashboardWriter(role);
    const dashboard = await findDashboard(metaStore, org, pathParam(req.params, 'id'));
    return { org, dashboardId: dashboard.dashboardId };
  };

  router.get(base, async (req, res) => {
    const { org, dashboardId } = await dashboardOf(req, false);
    const startTime = timeParam(req, 'start_time');
    const endTime = timeParam(req, 'end_time');
    if (endTime < startTime)
      throw AppError.invalidArgument('end_time must not be before start_time');
    const panels = (queryParam(req, 'panels') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const found = await metaStore.annotations.list(org, dashboardId, {
      startTime,
      endTime,
      panels,
    });
    res.json(found.map(annotationJson));
  });

  router.post(base, ...deps.jsonBody, async (req, res) => {
    const { org, dashboardId } = await dashboardOf(req, true);
    const { timed_annotations: list } = parseBody(createAnnotationsBody, req.body);
    const created = await metaStore.annotations.create(
      list.map((a) => ({
        org,
        dashboardId,
        annotationId: newId(now()),
        startTime: a.start_time,
        endTime: a.end_time ?? null,
        title: a.title,
        text: a.text ?? null,
        tags: a.tags,
        panels: a.panels,
      })),
    );
    res.json(created.map(annotationJson));
  });

  router.delete(base, ...deps.jsonBody, async (req, res) => {
    const { org, dashboardId } = await dashboardOf(req, true);
    const { annotation_ids: ids } = parseBody(deleteAnnotationsBody, req.body);
    await metaStore.annotations.delete(org, dashboardId, ids);
    res.status(200).end();
  });

  router.put(`${base}/:aid`, ...deps.jsonBody, async (req, res) => {
    const { org, dashboardId } = await dashboardOf(req, true);
    const a = parseBody(annotationBody, req.body);
    const updated = await metaStore.annotations.update(
      org,
      dashboardId,
      pathParam(req.params, 'aid'),
      {
        startTime: a.start_time,
        endTime: a.end_time ?? null,
        title: a.title,
        text: a.text ?? null,
        tags: a.tags,
        panels: a.panels,
      },
    );
    res.json(annotationJson(updated));
  });

  router.delete(`${base}/panels/:aid`, ...deps.jsonBody, async (req, res) => {
    const { org, dashboardId } = await dashboardOf(req, true);
    const panels = parseBody(panelIdsBody, req.body);
    await metaStore.annotations.removePanels(
      org,
      dashboardId,
      pathParam(req.params, 'aid'),
      panels,
    );
    res.status(200).end();
  });

  return router;
}
