import { Router } from 'express';
import type { Request } from 'express';
import {
  DATA_DELETION_REQUESTED_TOPIC,
  canManageUsers,
  isStreamType,
  publishEvent,
} from '@o2/domain';
import { AppError } from '@o2/errors';
import type { DataDeletion, StreamRef } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { queryParam } from '../http/query-params.js';
import { streamParam } from '../http/stream-param.js';
import type { RouteDeps } from './route-deps.js';

function streamRef(req: Request): StreamRef {
  const type = (queryParam(req, 'type') ?? 'logs').toLowerCase();
  if (!isStreamType(type)) throw AppError.invalidArgument(`invalid stream type: ${type}`);
  return { org: orgContext(req).org, type, name: streamParam(req.params) };
}

/** A required µs bound (O2 takes `start`/`end` in microseconds). */
function micros(req: Request, name: string): number {
  const value = queryParam(req, name);
  if (value === undefined) throw AppError.invalidArgument(`${name} is required (µs)`);
  if (!/^-?\d+$/.test(value)) throw AppError.invalidArgument(`${name} must be an integer (µs)`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw AppError.invalidArgument(`${name} is out of range`);
  return n;
}

function statusJson(job: DataDeletion): Record<string, unknown> {
  return {
    id: String(job.id),
    org: job.org,
    stream: job.name,
    stream_type: job.type,
    start: job.startTs,
    end: job.endTs,
    status: job.completedAt === undefined ? 'pending' : 'completed',
    created_at: job.requestedAt * 1000,
    ended_at: job.completedAt === undefined ? 0 : job.completedAt * 1000,
    deleted_files: job.files,
  };
}

/**
 * O2's delete-by-time-range (`DELETE /api/{org}/streams/{s}/data_by_time_range?type=&start=&end=`)
 * and its status. The router only records the job in the metastore and wakes the compactor,
 * which deletes the hour partitions wholly inside the range; the job survives a compactor
 * restart. Admins and root delete; any member of the org reads a status; an id of another org
 * or stream is 404.
 */
export function streamDataDeletionRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const router = Router();

  router.delete('/:org/streams/:stream/data_by_time_range', async (req, res) => {
    if (!canManageUsers(orgContext(req).role)) throw AppError.permissionDenied();
    const ref = streamRef(req);
    const start = micros(req, 'start');
    const end = micros(req, 'end');
    if (start >= end) throw AppError.invalidArgument('start must be before end');
    const known =
      (await metaStore.streams.get(ref)) !== undefined &&
      (await metaStore.streamDeletions.get(ref)) === undefined;
    if (!known) throw AppError.notFound('stream not found');
    // Rows the ingesters still hold become files first, so the job covers them too.
    await deps.ingester?.flush();
    const job = await metaStore.dataDeletions.request(ref, start, end);
    const stream = { org: ref.org, type: ref.type, stream: ref.name };
    if (deps.events !== undefined)
      await publishEvent(deps.events, DATA_DELETION_REQUESTED_TOPIC, stream).catch((err: unknown) =>
        deps.logger.warn({ ...stream, err }, 'could not wake the compactor'),
      );
    deps.logger.info({ ...stream, job: job.id, start, end }, 'data deletion requested');
    res.json({ code: 200, message: 'data deletion job created', id: String(job.id) });
  });

  router.get('/:org/streams/:stream/data_by_time_range/status/:id', async (req, res) => {
    const ref = streamRef(req);
    const id = req.params['id'] ?? '';
    const job = /^\d{1,15}$/.test(id)
      ? await metaStore.dataDeletions.get(ref.org, Number(id))
      : undefined;
    if (job === undefined || job.name !== ref.name || job.type !== ref.type)
      throw AppError.notFound('data deletion job not found');
    res.json(statusJson(job));
  });

  return router;
}
