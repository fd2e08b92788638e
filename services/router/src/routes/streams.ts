import { Router } from 'express';
import type { Request } from 'express';
import {
  STREAM_DELETION_REQUESTED_TOPIC,
  canManageUsers,
  isStreamKind,
  isStreamType,
  publishEvent,
} from '@o2/domain';
import { AppError } from '@o2/errors';
import type { SchemaField, StreamRecord, StreamRef, StreamType } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { queryParam } from '../http/query-params.js';
import { streamParam } from '../http/stream-param.js';
import { jsonObject } from '../http/json-body.js';
import type { RouteDeps } from './route-deps.js';
import { applySettingsUpdate } from './stream-settings.js';
import {
  hotStatsByStream,
  listStreamSummaries,
  streamKey,
  summarizeStream,
} from './stream-catalog.js';
import { streamJson } from './stream-view.js';
import type { StreamStats, StreamSummary } from './stream-view.js';

const SORT_KEYS = new Set<keyof StreamStats | 'name'>([
  'name',
  'created_at',
  'doc_time_min',
  'doc_time_max',
  'doc_num',
  'file_num',
  'storage_size',
  'compressed_size',
  'index_size',
]);

function streamType(req: Request, fallback: StreamType): StreamType;
function streamType(req: Request, fallback: undefined): StreamType | undefined;
function streamType(req: Request, fallback: StreamType | undefined): StreamType | undefined {
  const value = queryParam(req, 'type')?.toLowerCase();
  if (value === undefined) return fallback;
  if (!isStreamType(value)) throw AppError.invalidArgument(`invalid stream type: ${value}`);
  return value;
}

function count(req: Request, name: string): number | undefined {
  const value = queryParam(req, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw AppError.invalidArgument(`${name} must be a non-negative integer`);
  return n;
}

/** Offset/limit paging; a missing or 0 limit means all. */
function page<T>(items: readonly T[], offset: number | undefined, limit: number | undefined): T[] {
  const start = offset ?? 0;
  return items.slice(start, limit === undefined || limit === 0 ? undefined : start + limit);
}

function requireAdmin(role: Parameters<typeof canManageUsers>[0]): void {
  if (!canManageUsers(role)) throw AppError.permissionDenied();
}

/**
 * `/api/{org}/streams…`: list, schema, settings and delete, as O2's streams API. Stats add the
 * ingester's not-yet-uploaded data to what file_list holds. Members read; admin and root change.
 */
export function streamsRoutes(deps: RouteDeps): Router {
  const { metaStore, config } = deps;
  const router = Router();

  /**
   * The stream's row and hot stats; 404 when neither storage nor the ingester knows it, or when
   * it is being deleted.
   */
  async function findStream(
    req: Request,
  ): Promise<{ ref: StreamRef; record: StreamRecord | undefined; summary: StreamSummary }> {
    const { org } = orgContext(req);
    const ref: StreamRef = {
      org,
      type: streamType(req, 'logs'),
      name: streamParam(req.params),
    };
    if ((await metaStore.streamDeletions.get(ref)) !== undefined)
      throw AppError.notFound('stream not found');
    const record = await metaStore.streams.get(ref);
    const hot = (await hotStatsByStream(deps.ingester, org)).get(streamKey(ref.type, ref.name));
    if (record === undefined && (hot === undefined || hot.records === 0))
      throw AppError.notFound('stream not found');
    return { ref, record, summary: await summarizeStream(deps, ref, record, hot) };
  }

  async function fields(ref: StreamRef): Promise<SchemaField[]> {
    return (await metaStore.schemas.latest(ref))?.fields ?? [];
  }

  router.get('/:org/streams', async (req, res) => {
    const { org } = orgContext(req);
    const type = streamType(req, undefined);
    const keyword = queryParam(req, 'keyword')?.toLowerCase();
    const sort = queryParam(req, 'sort') ?? 'name';
    const asc = queryParam(req, 'asc') !== 'false';
    const fetchSchema = queryParam(req, 'fetchSchema') === 'true';
    const offset = count(req, 'offset');
    const limit = count(req, 'limit');

    const summaries = await listStreamSummaries(deps, org, {
      type,
      keep: (ref) => keyword === undefined || ref.name.toLowerCase().includes(keyword),
    });
    const sortKey = SORT_KEYS.has(sort as keyof StreamStats) ? sort : 'name';
    summaries.sort((a, b) => {
      const byName = a.ref.name.localeCompare(b.ref.name) || a.ref.type.localeCompare(b.ref.type);
      const order =
        sortKey === 'name'
          ? byName
          : a.stats[sortKey as keyof StreamStats] - b.stats[sortKey as keyof StreamStats] || byName;
      return asc ? order : -order;
    });
    const list = await Promise.all(
      page(summaries, offset, limit).map(async (summary) => {
        const all = await fields(summary.ref);
        return streamJson(summary, config.objectStorage, all, fetchSchema ? all : undefined);
      }),
    );
    res.json({ list, total: summaries.length });
  });

  router.get('/:org/streams/:stream/schema', async (req, res) => {
    const { ref, summary } = await findStream(req);
    const all = await fields(ref);
    const keyword = queryParam(req, 'keyword')?.toLowerCase();
    const shown = page(
      all.filter((f) => keyword === undefined || f.name.toLowerCase().includes(keyword)),
      count(req, 'offset'),
      count(req, 'limit'),
    );
    const body = streamJson(summary, config.objectStorage, all, shown);
    const defined = new Set(
      (body['settings'] as { defined_schema_fields?: unknown }).defined_schema_fields as
        string[] | undefined,
    );
    body['uds_schema'] = all
      .filter((f) => defined.has(f.name))
      .map((f) => ({ name: f.name, type: f.type }));
    res.json(body);
  });

  router.put('/:org/streams/:stream/settings', ...deps.jsonBody, async (req, res) => {
    requireAdmin(orgContext(req).role);
    const update = jsonObject(req.body);
    const { ref, record } = await findStream(req);
    if (ref.type === 'enrichment_tables' || ref.type === 'index')
      throw AppError.invalidArgument(`settings of ${ref.type} streams cannot be changed`);
    const current = record ?? (await metaStore.streams.ensure(ref));
    const settings = applySettingsUpdate(current.settings, update, deps.now() * 1000);
    await metaStore.streams.putSettings(ref, settings);
    res.json({ code: 200, message: '' });
  });

  // O2's answer comes at once; the compactor deletes the stored data (and the row and schema)
  // from the recorded request, and the stream is hidden from here on.
  router.delete('/:org/streams/:stream', async (req, res) => {
    requireAdmin(orgContext(req).role);
    const { ref } = await findStream(req);
    // The ingesters flush the stream first (the local one also forgets it), so everything they
    // held is registered before the request takes its file_list mark and is deleted with it.
    if (deps.ingester !== undefined && isStreamKind(ref.type))
      await deps.ingester.dropStream(ref.org, ref.type, ref.name);
    const deletion = await metaStore.streamDeletions.request(ref);
    const stream = { org: ref.org, type: ref.type, stream: ref.name };
    // The request is durable: a lost wake-up only leaves it to the compactor's next interval.
    if (deps.events !== undefined)
      await publishEvent(deps.events, STREAM_DELETION_REQUESTED_TOPIC, stream).catch(
        (err: unknown) => deps.logger.warn({ ...stream, err }, 'could not wake the compactor'),
      );
    deps.logger.info({ ...stream, lastFileId: deletion.lastFileId }, 'stream deletion requested');
    res.json({ code: 200, message: 'stream deleted' });
  });

  return router;
}
