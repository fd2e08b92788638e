import { randomUUID } from 'node:crypto';
import {
  DEDUP_CONFIG_KEY,
  alertPlaceholders,
  decideNotify,
  dedupWindowMinutes,
  readDedupConfig,
  rememberFingerprints,
  renderRows,
} from '@o2/alerts';
import type {
  AlertDefinition,
  DestinationDefinition,
  SsrfPolicy,
  TemplateDefinition,
} from '@o2/alerts';
import { PREBUILT_TEMPLATES } from '@o2/alerts';
import { deliver } from './notify.js';
import type { SmtpConfig } from './smtp-send.js';
import type { Logger } from '@o2/logger';
import type { AlertState, MetaStore } from '@o2/metastore';

const NOTIFY_TIMEOUT_MS = 10_000;

export interface AlertNotice {
  org: string;
  alertId: string;
  alert: AlertDefinition;
  count: number;
  rows: Array<Record<string, unknown>>;
  sql: string;
  /** µs */
  startUs: number;
  endUs: number;
}

async function templateFor(
  store: MetaStore,
  org: string,
  name: string,
): Promise<TemplateDefinition | undefined> {
  const doc = await store.alertTemplates.get(org, name);
  if (doc !== undefined) return JSON.parse(doc.data) as TemplateDefinition;
  const prebuilt = PREBUILT_TEMPLATES.find((t) => t.name === name);
  return prebuilt === undefined ? undefined : { ...prebuilt, isDefault: false };
}

/**
 * Sends one alert to each of its destinations (the alert's template wins over the destination's)
 * and returns the failures as text; a failing destination does not stop the others. Every send
 * passes the SSRF check again, on the addresses it connects to.
 */
export async function notifyAlert(
  deps: {
    metaStore: MetaStore;
    logger: Logger;
    policy: SsrfPolicy;
    webUrl: string;
    nowUs: number;
    smtp?: SmtpConfig;
  },
  notice: AlertNotice,
): Promise<string[]> {
  const { alert, org } = notice;
  const values = alertPlaceholders({
    org,
    alertName: alert.name,
    alertId: notice.alertId,
    streamType: alert.stream_type,
    streamName: alert.stream_name,
    alertType: alert.is_real_time ? 'realtime' : 'scheduled',
    description: alert.description,
    period: alert.trigger_condition.period,
    operator: alert.trigger_condition.operator,
    threshold: alert.trigger_condition.threshold,
    count: notice.count,
    startTime: notice.startUs,
    endTime: notice.endUs,
    triggerTime: deps.nowUs,
    url: `${deps.webUrl.replace(/\/+$/, '')}/web/alerts?org_identifier=${encodeURIComponent(org)}&alert_id=${notice.alertId}`,
    rows: renderRows(notice.rows, alert.row_template),
    sql: notice.sql,
    priority: alert.priority,
    contextAttributes: alert.context_attributes,
  });
  const failures: string[] = [];
  for (const name of alert.destinations) {
    try {
      const doc = await deps.metaStore.alertDestinations.get(org, name);
      if (doc === undefined) throw new Error(`destination ${name} not found`);
      const destination = JSON.parse(doc.data) as DestinationDefinition;
      const templateName = alert.template ?? destination.template;
      const template = await templateFor(deps.metaStore, org, templateName);
      if (template === undefined) throw new Error(`template ${templateName} not found`);
      await deliver(
        { destination, template, values },
        {
          policy: deps.policy,
          timeoutMs: NOTIFY_TIMEOUT_MS,
          ...(deps.smtp === undefined ? {} : { smtp: deps.smtp }),
        },
      );
    } catch (error) {
      const message = `${name}: ${(error as Error).message}`;
      deps.logger.warn(
        { org, alert: alert.name, destination: name, err: message },
        'alert notification failed',
      );
      failures.push(message);
    }
  }
  return failures;
}

export const newEntryId = (): string => randomUUID();

export interface NotifyDeps {
  metaStore: MetaStore;
  logger: Logger;
  policy: SsrfPolicy;
  webUrl: string;
  /** Length of an alert minute in ms (60 000; shorter in tests). */
  minuteMs: number;
  now: () => number;
  /** The SMTP relay for e-mail destinations. */
  smtp?: SmtpConfig;
}

/** The shared tail of scheduled and real-time alerts: silence, dedup, send, remember. */
export async function notifySatisfied(
  deps: NotifyDeps,
  due: Pick<AlertState, 'org' | 'alertId'>,
  alert: AlertDefinition,
  evaluation: { count: number; rows: Array<Record<string, unknown>>; sql: string },
  window: { startUs: number; endUs: number },
  record: (status: string, rowsCount: number, error?: string) => Promise<void>,
): Promise<boolean> {
  const now = deps.now();
  const state = await deps.metaStore.alerts.state(due.org, due.alertId);
  const notifyState = {
    silencedUntil: state?.silencedUntil ?? 0,
    sentFingerprints: JSON.parse(state?.fingerprints ?? '{}') as Record<string, number>,
  };
  const d = alert.deduplication;
  // The org's default window applies to alerts that dedup without a window of their own.
  const orgConfig =
    d?.enabled === true && d.time_window_minutes === undefined
      ? readDedupConfig(await deps.metaStore.kv.get(due.org, DEDUP_CONFIG_KEY))
      : undefined;
  const windowMs = dedupWindowMinutes(alert, orgConfig) * deps.minuteMs;
  const dedup =
    d === undefined ? undefined : { enabled: d.enabled, fields: d.fingerprint_fields, windowMs };
  const decision = decideNotify({ nowMs: now, state: notifyState, rows: evaluation.rows, dedup });
  await deps.metaStore.alerts.recordOutcome(due.org, due.alertId, { lastSatisfiedAt: now });
  if (!decision.notify) {
    await record(decision.reason, evaluation.count);
    return false;
  }
  const failures = await notifyAlert(
    { ...deps, nowUs: now * 1000 },
    { org: due.org, alertId: due.alertId, alert, ...evaluation, ...window },
  );
  await deps.metaStore.alerts.recordOutcome(due.org, due.alertId, {
    lastTriggeredAt: now,
    silencedUntil:
      alert.trigger_condition.silence > 0
        ? now + alert.trigger_condition.silence * deps.minuteMs
        : 0,
    fingerprints: JSON.stringify(
      rememberFingerprints(notifyState, decision.fingerprints, now, windowMs),
    ),
  });
  await record(failures.length === 0 ? 'firing' : 'error', evaluation.count, failures.join('; '));
  return failures.length === 0;
}
