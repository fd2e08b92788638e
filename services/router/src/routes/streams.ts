import { Router } from 'express';
import type { Request } from 'express';
import { canManageUsers } from '@o2/domain';
import type { HotStreamStats, StreamKind } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { SchemaField, StreamRecord, StreamRef, StreamType } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { pathParam } from '../http/body-fields.js';
import { jsonObject } from '../http/json-body.js';
import type { RouteDeps } from './route-deps.js';
import { applySettingsUpdate } from './stream-settings.js';
import { streamJson, streamStats } from './stream-view.js';
import type { StreamStats, StreamSummary } from './stream-view.js';

const STREAM_TYPES: readonly StreamType[] = [
  'logs',
  'metrics',
  'traces',
  'enrichment_tables',
  'metadata',
  'index',
];
const STREAM_KINDS: readonly string[] = ['logs', 'metrics', 'traces'];
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
/** Object keys per deleteMany call: S3's DeleteObjects takes at most 1000. */
const DELETE_BATCH = 1000;

function queryParam(req: Request, name: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

function streamType(req: Request, fallback: StreamType): StreamType;
function streamType(req: Request, fallback: undefined): StreamType | undefined;
function streamType(req: Request, fallback: StreamType | undefined): StreamType | undefined {
  const value = queryParam(req, 'type')?.toLowerCase();
  if (value === undefined) return fallback;
  const found = STREAM_TYPES.find((t) => t === value);
  if (found === undefined) throw AppError.invalidArgument(`invalid stream type: ${value}`);
  return found;
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

const refKey = (type: string, name: string): string => `${type}/${name}`;

/**
 * `/api/{org}/streams…`: list, schema, settings and delete, as O2's streams API. Stats add the
 * ingester's not-yet-uploaded data to what file_list holds. Members read; admin and root change.
 */
export function streamsRoutes(deps: RouteDeps): Router {
  const { metaStore, config } = deps;
  const router = Router();

  async function hotStats(org: string): Promise<Map<string, HotStreamStats>> {
    const list = deps.ingester === undefined ? [] : await deps.ingester.hotStats(org);
    return new Map(list.map((s) => [refKey(s.type, s.stream), s]));
  }

  async function summarize(
    ref: StreamRef,
    record: StreamRecord | undefined,
    hot: HotStreamStats | undefined,
  ): Promise<StreamSummary> {
    return {
      ref,
      record,
      stats: await streamStats(metaStore.fileList, ref, record, hot, deps.now()),
    };
  }

  /** The stream's row and hot stats; 404 when neither storage nor the ingester knows it. */
  async function findStream(
    req: Request,
  ): Promise<{ ref: StreamRef; record: StreamRecord | undefined; summary: StreamSummary }> {
    const { org } = orgContext(req);
    const ref: StreamRef = {
      org,
      type: streamType(req, 'logs'),
      name: pathParam(req.params, 'stream'),
    };
    const record = await metaStore.streams.get(ref);
    const hot = (await hotStats(org)).get(refKey(ref.type, ref.name));
    if (record === undefined && (hot === undefined || hot.records === 0))
      throw AppError.notFound('stream not found');
    return { ref, record, summary: await summarize(ref, record, hot) };
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

    const records = await metaStore.streams.list(org, type);
    const hot = await hotStats(org);
    const byKey = new Map<string, { ref: StreamRef; record?: StreamRecord }>();
    for (const record of records)
      byKey.set(refKey(record.type, record.name), { ref: record, record });
    // Records still only in the ingester count as a stream before any row or file exists.
    for (const h of hot.values()) {
      const key = refKey(h.type, h.stream);
      if (h.records > 0 && !byKey.has(key) && (type === undefined || type === h.type))
        byKey.set(key, { ref: { org, type: h.type, name: h.stream } });
    }
    const matching = [...byKey.entries()].filter(
      ([, s]) => keyword === undefined || s.ref.name.toLowerCase().includes(keyword),
    );
    const summaries = await Promise.all(
      matching.map(([key, s]) => summarize(s.ref, s.record, hot.get(key))),
    );
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

  router.delete('/:org/streams/:stream', async (req, res) => {
    requireAdmin(orgContext(req).role);
    const { ref } = await findStream(req);
    // The ingester flushes and forgets the stream first, so nothing it still holds is uploaded
    // after the stored files are removed below.
    if (deps.ingester !== undefined && STREAM_KINDS.includes(ref.type))
      await deps.ingester.dropStream(ref.org, ref.type as StreamKind, ref.name);
    const files = await metaStore.fileList.query(ref);
    const entries = files.map((f) => ({ date: f.date, file: f.file }));
    await metaStore.fileList.markDeleted(ref, entries);
    // Without an object store here the marked rows stay queued for the compactor to purge.
    if (deps.objectStore !== undefined) {
      for (let i = 0; i < entries.length; i += DELETE_BATCH) {
        const batch = entries.slice(i, i + DELETE_BATCH);
        await deps.objectStore.deleteMany(
          batch.map((f) => `files/${ref.org}/${ref.type}/${ref.name}/${f.date}/${f.file}`),
        );
        await metaStore.fileList.purgeDeleted(
          batch.map((f) => ({ org: ref.org, type: ref.type, stream: ref.name, ...f })),
        );
      }
    }
    await metaStore.streams.delete(ref);
    deps.logger.info(
      { org: ref.org, type: ref.type, stream: ref.name, files: entries.length },
      'deleted stream',
    );
    res.json({ code: 200, message: 'stream deleted' });
  });

  return router;
}
