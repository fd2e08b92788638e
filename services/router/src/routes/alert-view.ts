import { AppError } from '@o2/errors';
import type { UserRole } from '@o2/domain';
import { alertType } from '@o2/alerts';
import type { AlertDefinition, AlertFacts } from '@o2/alerts';
import type { AlertState, StoredAlert } from '@o2/metastore';

/** Alerts are open to every member of the org; a viewer only reads. */
export function requireAlertWriter(role: UserRole): void {
  if (role === 'viewer') throw AppError.permissionDenied();
}

/** ms → O2's µs, or null for never. */
const micros = (ms: number | undefined) => (ms === undefined || ms === 0 ? null : ms * 1000);

export const definitionOf = (a: StoredAlert) => JSON.parse(a.data) as AlertDefinition;

/** `GET /v2/{org}/alerts/{id}`: the definition plus the server's fields. */
export function alertJson(a: StoredAlert, state: AlertState | undefined) {
  return {
    ...definitionOf(a),
    id: a.alertId,
    folder_id: a.folderId,
    alert_type: a.isRealTime ? 'realtime' : 'scheduled',
    last_triggered_at: micros(state?.lastTriggeredAt),
    last_satisfied_at: micros(state?.lastSatisfiedAt),
    updated_at: a.updatedAt * 1000,
    last_edited_by: a.lastEditedBy,
  };
}

/** One entry of `GET /v2/{org}/alerts`. */
export function alertListItem(a: StoredAlert, state: AlertState | undefined, folderName: string) {
  const d = definitionOf(a);
  return {
    alert_id: a.alertId,
    folder_id: a.folderId,
    folder_name: folderName,
    name: a.name,
    owner: a.owner,
    description: d.description,
    alert_type: alertType(d),
    condition: d.query_condition,
    trigger_condition: d.trigger_condition,
    enabled: a.enabled,
    is_real_time: a.isRealTime,
    stream_type: a.streamType,
    stream_name: a.streamName,
    destinations: d.destinations,
    priority: d.priority ?? null,
    tags: d.tags,
    last_triggered_at: micros(state?.lastTriggeredAt),
    last_satisfied_at: micros(state?.lastSatisfiedAt),
    updated_at: a.updatedAt * 1000,
  };
}

/** The values `/test` and `/preview` fill templates with. */
export function sampleFacts(org: string, nowMs: number): AlertFacts {
  const end = nowMs * 1000;
  return {
    org,
    alertName: 'test_alert',
    alertId: 'test',
    streamType: 'logs',
    streamName: 'default',
    alertType: 'scheduled',
    description: 'A test notification from O2TS',
    period: 10,
    operator: '>=',
    threshold: 1,
    count: 1,
    startTime: end - 600_000_000,
    endTime: end,
    triggerTime: end,
    url: '',
    rows: '{"level":"error","message":"test"}',
    sql: 'SELECT * FROM "default"',
    contextAttributes: {},
  };
}
