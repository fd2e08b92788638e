import { Router } from 'express';
import type { Request } from 'express';
import { readDashboardText } from '@o2/dashboards';
import type { DashboardDocument } from '@o2/dashboards';
import { AppError } from '@o2/errors';
import { DEFAULT_FOLDER_ID } from '@o2/metastore';
import type { DashboardContent, MetaStore, StoredDashboard } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { bodyText, createJsonTextBody } from '../http/json-text-body.js';
import { parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { queryParam } from '../http/query-params.js';
import { bulkDeleteBody, legacyMoveBody, moveBody } from './dashboard-schemas.js';
import {
  dashboardHash,
  listItemJson,
  newId,
  requireDashboardWriter,
  sendJsonText,
  wrapperJson,
} from './dashboard-view.js';
import type { RouteDeps } from './route-deps.js';

/** The row fields a v8 document determines. */
export function contentOf(doc: DashboardDocument, nowMs: number): DashboardContent {
  const d = doc.dashboard;
  return {
    title: d.title,
    description: d.description ?? '',
    owner: d.owner ?? '',
    role: d.role ?? '',
    created: d.created ?? '',
    version: 8,
    hash: dashboardHash(doc.text),
    data: doc.text,
    updatedAt: nowMs * 1000,
  };
}

/** The org's dashboard `id`, or 404. Lookups are per org, so another org's id is never found. */
export async function findDashboard(
  metaStore: MetaStore,
  org: string,
  id: string,
): Promise<StoredDashboard> {
  const found = await metaStore.dashboards.get(org, id);
  if (found === undefined) throw AppError.notFound('Dashboard not found');
  return found;
}

/** `?hash=`: required where a write must prove it saw the current version. */
export function requiredHash(req: Request): string {
  const hash = queryParam(req, 'hash');
  // O2 says this for the panel routes (and fails a hash-less PUT with a 500; we answer 400).
  if (hash === undefined) throw AppError.invalidArgument('hash query parameter is required');
  return hash;
}

function pageSize(req: Request): number | undefined {
  const text = queryParam(req, 'pageSize') ?? queryParam(req, 'page_size');
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw AppError.invalidArgument('pageSize must be a positive integer');
  return Number(text);
}

/**
 * Dashboards (O2-CONTRACT §11): `/{org}/dashboards` list and create, `/{id}` get, update (by
 * `hash`) and delete, `DELETE /bulk`, `PATCH /move` and the older `PUT /{org}/folders/
 * dashboards/{id}` move. Bodies may be any version 1–8 and are stored as v8 text; see
 * @o2/dashboards for what is kept byte for byte.
 */
export function dashboardsRoutes(deps: RouteDeps): Router {
  const { metaStore, now } = deps;
  const router = Router();
  const jsonText = createJsonTextBody(deps.config.ZO_PAYLOAD_LIMIT);

  router.get('/:org/dashboards', async (req, res) => {
    const { org } = orgContext(req);
    await metaStore.folders.ensureDefault(org, 'dashboards');
    const folderId = queryParam(req, 'folder');
    const title = queryParam(req, 'title');
    const limit = pageSize(req);
    const folders = new Map(
      (await metaStore.folders.list(org, 'dashboards')).map((f) => [f.folderId, f.name]),
    );
    const found = await metaStore.dashboards.list(org, {
      ...(folderId === undefined ? {} : { folderId }),
      ...(title === undefined ? {} : { title }),
      ...(limit === undefined ? {} : { limit }),
    });
    const items = found.map((d) => listItemJson(d, folders.get(d.folderId) ?? d.folderId));
    sendJsonText(res, `{"dashboards":[${items.join(',')}]}`);
  });

  router.post('/:org/dashboards', ...jsonText, async (req, res) => {
    const { org, role, user } = orgContext(req);
    requireDashboardWriter(role);
    const folderId = queryParam(req, 'folder') ?? DEFAULT_FOLDER_ID;
    const at = now();
    const dashboardId = newId(at);
    const doc = readDashboardText(bodyText(req), {
      dashboardId,
      owner: user.email,
      created: new Date(at).toISOString(),
    });
    await metaStore.folders.ensureDefault(org, 'dashboards');
    const stored = await metaStore.dashboards.create({
      org,
      dashboardId,
      folderId,
      ...contentOf(doc, at),
    });
    sendJsonText(res, wrapperJson(stored));
  });

  router.delete('/:org/dashboards/bulk', ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    const { ids } = parseBody(bulkDeleteBody, req.body);
    const deleted = await metaStore.dashboards.delete(org, ids);
    res.json({
      successful: deleted,
      unsuccessful: ids.filter((id) => !deleted.includes(id)),
      err: null,
    });
  });

  router.patch('/:org/dashboards/move', ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    const { dashboard_ids: ids, dst_folder_id: to } = parseBody(moveBody, req.body);
    await metaStore.folders.ensureDefault(org, 'dashboards');
    await metaStore.dashboards.move(org, ids, to);
    res.json({ code: 200, message: ids.length === 1 ? 'Dashboard moved' : 'Dashboards moved' });
  });

  router.put('/:org/folders/dashboards/:id', ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    // O2 moves to `to` wherever the dashboard is; `from` is only checked when given.
    const { from, to } = parseBody(legacyMoveBody, req.body);
    if (to === '')
      throw AppError.invalidArgument('Please specify from & to folder from dashboard movement');
    await metaStore.folders.ensureDefault(org, 'dashboards');
    const id = pathParam(req.params, 'id');
    await metaStore.dashboards.move(org, [id], to, from === '' ? undefined : from);
    res.json({ code: 200, message: 'Dashboard moved' });
  });

  router.get('/:org/dashboards/:id', async (req, res) => {
    const { org } = orgContext(req);
    sendJsonText(
      res,
      wrapperJson(await findDashboard(metaStore, org, pathParam(req.params, 'id'))),
    );
  });

  router.put('/:org/dashboards/:id', ...jsonText, async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    const id = pathParam(req.params, 'id');
    const hash = requiredHash(req);
    const current = await findDashboard(metaStore, org, id);
    const doc = readDashboardText(bodyText(req), {
      dashboardId: id,
      owner: current.owner,
      created: current.created,
    });
    const stored = await metaStore.dashboards.update(org, id, hash, contentOf(doc, now()));
    sendJsonText(res, wrapperJson(stored));
  });

  router.delete('/:org/dashboards/:id', async (req, res) => {
    const { org, role } = orgContext(req);
    requireDashboardWriter(role);
    const [deleted] = await metaStore.dashboards.delete(org, [pathParam(req.params, 'id')]);
    if (deleted === undefined) throw AppError.notFound('Dashboard not found');
    res.json({ code: 200, message: 'Dashboard deleted' });
  });

  return router;
}
