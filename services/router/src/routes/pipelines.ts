import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { PIPELINE_CHANGED_TOPIC, publishEvent } from '@o2/domain';
import type { UserRole } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { KvRepository, MetaStore, PipelineContent, StoredPipeline } from '@o2/metastore';
import {
  functionNamesOf,
  pipelineIdOf,
  pipelineSchema,
  scheduleRunPrefix,
  scheduleStateKey,
  validatePipeline,
} from '@o2/pipelines';
import type { Pipeline } from '@o2/pipelines';
import { orgContext } from '../auth/auth-context.js';
import { NOT_AN_OBJECT, bodyObject, parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { bulkDelete, bulkDeleteBody } from './bulk-delete.js';
import { newId } from './dashboard-view.js';
import type { RouteDeps } from './route-deps.js';

function requireWriter(role: UserRole): void {
  if (role === 'viewer') throw AppError.permissionDenied();
}

const pipelineOf = (p: StoredPipeline): Pipeline => ({
  ...(JSON.parse(p.data) as Pipeline),
  pipeline_id: p.pipelineId,
  version: p.version,
  enabled: p.enabled,
  org: p.org,
});

function contentOf(p: Pipeline): PipelineContent {
  const s = p.source;
  return {
    name: p.name,
    enabled: p.enabled,
    sourceType: s.source_type,
    streamType: s.stream_type,
    streamName: s.source_type === 'realtime' ? s.stream_name : '',
    data: JSON.stringify(p),
  };
}

function readPipeline(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw AppError.invalidArgument(NOT_AN_OBJECT);
  return parseBody(pipelineSchema, body);
}

function enableValue(req: Request): boolean {
  const raw = req.query['value'];
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw AppError.invalidArgument('value must be true or false');
}

const bulkEnableBody = bodyObject({
  ids: z
    .array(z.string({ error: 'must be a list of strings' }), { error: 'must be a list' })
    .max(1000, { error: 'must hold at most 1000 entries' }),
});

/** Removes a deleted pipeline's schedule from the org's kv (best effort: it is only state). */
async function forgetSchedule(
  deps: Pick<RouteDeps, 'logger'>,
  kv: KvRepository,
  org: string,
  id: string,
) {
  try {
    await kv.delete(org, scheduleStateKey(id));
    for (const key of await kv.list(org, scheduleRunPrefix(id))) await kv.delete(org, key);
  } catch (err) {
    deps.logger.warn({ err, org, pipeline: id }, 'scheduled pipeline state not removed');
  }
}

/** Tells ingesters to reload the org's pipelines (best effort: they also reload on a timer). */
export async function announcePipelineChange(
  deps: Pick<RouteDeps, 'events' | 'logger'>,
  org: string,
): Promise<void> {
  if (deps.events === undefined) return;
  await publishEvent(deps.events, PIPELINE_CHANGED_TOPIC, { org }).catch((err: unknown) =>
    deps.logger.warn({ err, org }, 'pipeline.changed not published; ingesters reload on timer'),
  );
}

/** Pipelines of the org that call function `name` (`GET /functions/{name}`, delete refusal). */
export async function pipelinesUsingFunction(
  store: MetaStore,
  org: string,
  name: string,
): Promise<Array<{ id: string; name: string }>> {
  const uses: Array<{ id: string; name: string }> = [];
  for (const p of await store.pipelines.list(org)) {
    if (functionNamesOf(pipelineOf(p)).includes(name))
      uses.push({ id: p.pipelineId, name: p.name });
  }
  return uses;
}

/**
 * Pipelines (O2-CONTRACT §7): `/api/{org}/pipelines` — list, create, update (`pipeline_id` in the
 * body), get, delete, enable, bulk enable and delete, and the streams realtime pipelines read.
 * Every change is announced as `pipeline.changed` so ingesters reload the org's pipelines.
 * Viewers read; any other member of the org writes.
 */
export function pipelinesRoutes(deps: RouteDeps): Router {
  const router = Router();
  const store = deps.metaStore;

  const changed = (org: string) => announcePipelineChange(deps, org);

  const checked = async (org: string, body: unknown, id?: string): Promise<Pipeline> => {
    const input = readPipeline(body);
    const names = functionNamesOf(input);
    const known = new Set<string>();
    for (const name of names)
      if (name !== '' && (await store.functions.get(org, name)) !== undefined) known.add(name);
    return validatePipeline(id === undefined ? input : { ...input, pipeline_id: id }, {
      org,
      newId: () => newId(deps.now()),
      functionExists: (name) => known.has(name),
    });
  };

  const load = async (org: string, id: string): Promise<StoredPipeline> => {
    const p = await store.pipelines.get(org, id);
    if (p === undefined) throw AppError.notFound('Pipeline not found');
    return p;
  };

  const base = '/:org/pipelines';
  router.get(base, async (req, res) => {
    const { org } = orgContext(req);
    res.json({ list: (await store.pipelines.list(org)).map(pipelineOf) });
  });

  router.post(base, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const p = await checked(org, req.body);
    if ((await store.pipelines.get(org, p.pipeline_id)) !== undefined)
      throw AppError.invalidArgument('Pipeline with this id already exists; use PUT to update');
    await store.pipelines.create({ org, pipelineId: p.pipeline_id, ...contentOf(p) });
    await changed(org);
    res.json({ code: 200, message: 'Pipeline created successfully' });
  });

  router.put(base, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const input = readPipeline(req.body);
    const id = pipelineIdOf(input);
    if (id === undefined) throw AppError.invalidArgument('pipeline_id is required to update');
    await load(org, id);
    const p = await checked(org, req.body, id);
    await store.pipelines.update(org, id, contentOf(p));
    await changed(org);
    res.json({ code: 200, message: 'Pipeline updated successfully' });
  });

  router.get(`${base}/streams`, async (req, res) => {
    const { org } = orgContext(req);
    const list = (await store.pipelines.list(org, { sourceType: 'realtime' })).map((p) => ({
      org_id: org,
      stream_name: p.streamName,
      stream_type: p.streamType,
    }));
    res.json({ list });
  });

  router.post(`${base}/bulk/enable`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const value = enableValue(req);
    const { ids } = parseBody(bulkEnableBody, req.body);
    const result = await bulkDelete(ids, async (id) => {
      await store.pipelines.setEnabled(org, id, value);
    });
    await changed(org);
    res.json(result);
  });

  router.delete(`${base}/bulk`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const { ids } = parseBody(bulkDeleteBody, req.body);
    const result = await bulkDelete(ids, async (id) => {
      if ((await store.pipelines.delete(org, [id])).length === 0)
        throw AppError.notFound('Pipeline not found');
      await forgetSchedule(deps, store.kv, org, id);
    });
    await changed(org);
    res.json(result);
  });

  router.get(`${base}/:id`, async (req, res) => {
    const { org } = orgContext(req);
    res.json(pipelineOf(await load(org, pathParam(req.params, 'id'))));
  });

  router.delete(`${base}/:id`, async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const id = pathParam(req.params, 'id');
    if ((await store.pipelines.delete(org, [id])).length === 0)
      throw AppError.notFound('Pipeline not found');
    await forgetSchedule(deps, store.kv, org, id);
    await changed(org);
    res.json({ code: 200, message: 'Pipeline deleted successfully' });
  });

  router.put(`${base}/:id/enable`, async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const value = enableValue(req);
    await store.pipelines.setEnabled(org, pathParam(req.params, 'id'), value);
    await changed(org);
    res.json({
      code: 200,
      message: `Pipeline successfully ${value ? 'enabled' : 'disabled'}`,
    });
  });

  return router;
}
