import type { Request } from 'express';
import { AppError } from '@o2/errors';
import type { AlertState, MetaStore } from '@o2/metastore';
import { alertListItem, definitionOf } from './alert-view.js';

const SORTS = [
  'name',
  'owner',
  'enabled',
  'stream_name',
  'last_triggered_at',
  'last_satisfied_at',
  'updated_at',
  'priority',
] as const;
type SortKey = (typeof SORTS)[number];

function query(req: Request, key: string): string | undefined {
  const raw = req.query[key];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw AppError.invalidArgument(`${key} must be given once`);
  return raw;
}

function intQuery(req: Request, key: string, min: number): number | undefined {
  const raw = query(req, key);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw AppError.invalidArgument(`${key} must be an integer ≥ ${min}`);
  return n;
}

/**
 * `GET /v2/{org}/alerts` filtered (`folder`, `stream_type`, `stream_name`,
 * `alert_name_substring`, `owner`, `enabled`, `alert_type`, `priority`, `tags`), sorted
 * (`sort_by`, `sort_order`) and paged (`page_size`, `page_idx`); an unknown value is 400.
 */
export async function listAlerts(store: MetaStore, org: string, req: Request) {
  const enabledText = query(req, 'enabled');
  if (enabledText !== undefined && enabledText !== 'true' && enabledText !== 'false')
    throw AppError.invalidArgument('enabled must be true or false');
  const alertType = query(req, 'alert_type');
  if (alertType !== undefined && alertType !== 'scheduled' && alertType !== 'realtime')
    throw AppError.invalidArgument('alert_type must be scheduled or realtime');
  const sortBy = (query(req, 'sort_by') ?? 'name') as SortKey;
  if (!SORTS.includes(sortBy)) throw AppError.invalidArgument(`Invalid sort_by: ${sortBy}`);
  const order = query(req, 'sort_order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc')
    throw AppError.invalidArgument('sort_order must be asc or desc');
  const priority = intQuery(req, 'priority', 1);
  const pageSize = intQuery(req, 'page_size', 1);
  const pageIdx = intQuery(req, 'page_idx', 0) ?? 0;
  const tags = (query(req, 'tags') ?? '').split(',').filter((t) => t !== '');

  await store.folders.ensureDefault(org, 'alerts');
  const folders = new Map(
    (await store.folders.list(org, 'alerts')).map((f) => [f.folderId, f.name]),
  );
  const states = new Map<string, AlertState>(
    (await store.alerts.states(org)).map((s) => [s.alertId, s]),
  );
  const alerts = await store.alerts.list(org, {
    folderId: query(req, 'folder'),
    streamType: query(req, 'stream_type'),
    streamName: query(req, 'stream_name'),
    nameSubstring: query(req, 'alert_name_substring'),
    owner: query(req, 'owner'),
    enabled: enabledText === undefined ? undefined : enabledText === 'true',
    isRealTime: alertType === undefined ? undefined : alertType === 'realtime',
  });
  const items = alerts
    .map((a) => alertListItem(a, states.get(a.alertId), folders.get(a.folderId) ?? a.folderId))
    .filter((item, i) => {
      const d = definitionOf(alerts[i]!);
      if (priority !== undefined && d.priority !== priority) return false;
      return tags.every((t) => d.tags.includes(t));
    });
  const sign = order === 'asc' ? 1 : -1;
  items.sort((x, y) => {
    const a = x[sortBy] ?? -Infinity;
    const b = y[sortBy] ?? -Infinity;
    return (a < b ? -1 : a > b ? 1 : x.alert_id < y.alert_id ? -1 : 1) * sign;
  });
  return pageSize === undefined ? items : items.slice(pageIdx * pageSize, (pageIdx + 1) * pageSize);
}
