import { Router } from 'express';
import type { Request } from 'express';
import { AppError, isAppError } from '@o2/errors';
import { alertSchema, checkAlert, nextRunTime } from '@o2/alerts';
import type { AlertDefinition } from '@o2/alerts';
import { DEFAULT_FOLDER_ID } from '@o2/metastore';
import type { AlertContent, StoredAlert } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { NOT_AN_OBJECT, parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { findTemplate } from './alert-destinations.js';
import { alertJson, definitionOf, requireAlertWriter } from './alert-view.js';
import { bulkNamesBody, cloneAlertBody, moveAlertsBody } from './alert-schemas.js';
import { newId } from './dashboard-view.js';
import { listAlerts } from './alert-list.js';
import type { RouteDeps } from './route-deps.js';

/** O2 answers a name clash with 409. */
async function clashIs409<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (isAppError(error) && error.code === 'ALREADY_EXISTS')
      throw new AppError('CONFLICT', 'Alert with this name already exists in the folder');
    throw error;
  }
}

function boolQuery(req: Request, key: string): boolean | undefined {
  const raw = req.query[key];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw AppError.invalidArgument(`${key} must be true or false`);
}

function stringQuery(req: Request, key: string): string | undefined {
  const raw = req.query[key];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw AppError.invalidArgument(`${key} must be given once`);
  return raw;
}

/**
 * Alerts v2 (O2-CONTRACT §10): `/api/v2/{org}/alerts` — create (into `?folder=` or `folder_id`),
 * get, update, delete, list with filters and sorting, enable, trigger now, clone, move, bulk
 * delete and enable, tags. The schedule state is reset on every save: an enabled scheduled alert
 * gets its next run from its trigger condition; a disabled or real-time one leaves the schedule.
 */
export function alertsRoutes(deps: RouteDeps): Router {
  const router = Router();
  const store = deps.metaStore;
  const minuteMs = deps.config.ZO_ALERT_MINUTE_SECONDS * 1000;

  const schedule = (d: Pick<AlertDefinition, 'enabled' | 'is_real_time' | 'trigger_condition'>) =>
    d.enabled && !d.is_real_time ? nextRunTime(d.trigger_condition, deps.now(), minuteMs) : 0;

  /** The body as a checked definition (destinations and template must exist). */
  const definition = async (
    org: string,
    body: unknown,
    owner: string,
  ): Promise<AlertDefinition> => {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw AppError.invalidArgument(NOT_AN_OBJECT);
    const d = parseBody(alertSchema, body);
    checkAlert(d);
    for (const name of d.destinations) {
      if ((await store.alertDestinations.get(org, name)) === undefined)
        throw AppError.invalidArgument(`Destination not found: ${name}`);
    }
    if (
      d.template !== undefined &&
      d.template !== '' &&
      !(await findTemplate(store, org, d.template))
    )
      throw AppError.invalidArgument(`Template not found: ${d.template}`);
    return { ...d, owner: d.owner ?? owner };
  };

  const content = (d: AlertDefinition, editor: string): AlertContent => ({
    name: d.name,
    enabled: d.enabled,
    isRealTime: d.is_real_time,
    streamType: d.stream_type,
    streamName: d.stream_name,
    owner: d.owner ?? editor,
    data: JSON.stringify(d),
    lastEditedBy: editor,
  });

  const folderOf = async (org: string, folderId: string | undefined) => {
    await store.folders.ensureDefault(org, 'alerts');
    const id = folderId ?? DEFAULT_FOLDER_ID;
    if ((await store.folders.get(org, 'alerts', id)) === undefined)
      throw AppError.notFound('Folder not found');
    return id;
  };

  const load = async (org: string, id: string): Promise<StoredAlert> => {
    const a = await store.alerts.get(org, id);
    if (a === undefined) throw AppError.notFound('Alert not found');
    return a;
  };

  const base = '/v2/:org/alerts';
  router.post(base, ...deps.jsonBody, async (req, res) => {
    const { org, role, user } = orgContext(req);
    requireAlertWriter(role);
    const body = (req.body ?? {}) as { folder_id?: unknown };
    const folderId = await folderOf(
      org,
      stringQuery(req, 'folder') ??
        (typeof body.folder_id === 'string' ? body.folder_id : undefined),
    );
    const d = await definition(org, req.body, user.email);
    const alertId = newId(deps.now());
    await clashIs409(
      store.alerts.create({ org, alertId, folderId, ...content(d, user.email) }, schedule(d)),
    );
    res.json({ code: 200, message: 'Alert saved', id: alertId });
  });

  router.get(base, async (req, res) => {
    const { org } = orgContext(req);
    res.json({ list: await listAlerts(store, org, req) });
  });

  router.get(`${base}/tags`, async (req, res) => {
    const { org } = orgContext(req);
    const tags = new Set<string>();
    for (const a of await store.alerts.list(org)) for (const t of definitionOf(a).tags) tags.add(t);
    res.json({ tags: [...tags].sort() });
  });

  router.patch(`${base}/move`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const { alert_ids, dst_folder_id } = parseBody(moveAlertsBody, req.body);
    await folderOf(org, dst_folder_id);
    await clashIs409(store.alerts.move(org, alert_ids, dst_folder_id));
    res.json({ code: 200, message: 'Alerts moved' });
  });

  router.delete(`${base}/bulk`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const { ids } = parseBody(bulkNamesBody, req.body);
    const deleted = await store.alerts.delete(org, ids);
    res.json({
      successful: deleted,
      unsuccessful: ids.filter((i) => !deleted.includes(i)),
      err: null,
    });
  });

  router.post(`${base}/bulk/enable`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const value = boolQuery(req, 'value') ?? true;
    const { ids } = parseBody(bulkNamesBody, req.body);
    const done: string[] = [];
    for (const id of ids) {
      const a = await store.alerts.get(org, id);
      if (a === undefined) continue;
      const d = { ...definitionOf(a), enabled: value };
      await store.alerts.update(
        org,
        id,
        { ...a, data: JSON.stringify(d), enabled: value },
        schedule(d),
      );
      done.push(id);
    }
    res.json({ successful: done, unsuccessful: ids.filter((i) => !done.includes(i)), err: null });
  });

  router.get(`${base}/:id`, async (req, res) => {
    const { org } = orgContext(req);
    const a = await load(org, pathParam(req.params, 'id'));
    res.json(alertJson(a, await store.alerts.state(org, a.alertId)));
  });

  router.put(`${base}/:id`, ...deps.jsonBody, async (req, res) => {
    const { org, role, user } = orgContext(req);
    requireAlertWriter(role);
    const a = await load(org, pathParam(req.params, 'id'));
    const d = await definition(org, req.body, a.owner);
    await clashIs409(store.alerts.update(org, a.alertId, content(d, user.email), schedule(d)));
    res.json({ code: 200, message: 'Alert Updated' });
  });

  router.delete(`${base}/:id`, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    if ((await store.alerts.delete(org, [pathParam(req.params, 'id')])).length === 0)
      throw AppError.notFound('Alert not found');
    res.json({ code: 200, message: 'Alert deleted' });
  });

  router.patch(`${base}/:id/enable`, async (req, res) => {
    const { org, role, user } = orgContext(req);
    requireAlertWriter(role);
    const value = boolQuery(req, 'value');
    if (value === undefined) throw AppError.invalidArgument('value must be true or false');
    const a = await load(org, pathParam(req.params, 'id'));
    const d = { ...definitionOf(a), enabled: value };
    await store.alerts.update(org, a.alertId, content(d, user.email), schedule(d));
    res.json({ enabled: value });
  });

  router.patch(`${base}/:id/trigger`, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const a = await load(org, pathParam(req.params, 'id'));
    if (a.isRealTime) throw AppError.invalidArgument('Real-time alerts run on ingest');
    if (!a.enabled) throw AppError.invalidArgument('Alert is disabled');
    // Due now: the alertmanager leader evaluates it on its next tick.
    await store.alerts.reschedule(org, a.alertId, deps.now());
    res.json({ code: 200, message: 'Alert triggered' });
  });

  router.post(`${base}/:id/clone`, ...deps.jsonBody, async (req, res) => {
    const { org, role, user } = orgContext(req);
    requireAlertWriter(role);
    const a = await load(org, pathParam(req.params, 'id'));
    const body = parseBody(cloneAlertBody, req.body ?? {});
    const folderId = await folderOf(org, body.folder_id ?? a.folderId);
    const d = await definition(
      org,
      { ...definitionOf(a), name: body.name ?? `${a.name}_copy`, owner: user.email },
      user.email,
    );
    const alertId = newId(deps.now());
    await clashIs409(
      store.alerts.create({ org, alertId, folderId, ...content(d, user.email) }, schedule(d)),
    );
    res.json({ code: 200, message: 'Alert cloned', id: alertId });
  });
  return router;
}
