import { randomUUID } from 'node:crypto';
import { alertPlaceholders, renderRows } from '@o2/alerts';
import type {
  AlertDefinition,
  DestinationDefinition,
  SsrfPolicy,
  TemplateDefinition,
} from '@o2/alerts';
import { PREBUILT_TEMPLATES } from '@o2/alerts';
import { deliver } from '@o2/alert-delivery';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';

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
  deps: { metaStore: MetaStore; logger: Logger; policy: SsrfPolicy; webUrl: string; nowUs: number },
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
        { policy: deps.policy, timeoutMs: NOTIFY_TIMEOUT_MS },
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
