/**
 * Notification bodies. A template is text with `{placeholder}` names: the alert's
 * (`{alert_name}`, `{alert_count}`, `{rows}`, `{alert_url}` …, see `alertPlaceholders`) and, in a
 * row template, the row's own fields. Unknown placeholders stay as written, so a body with JSON
 * braces survives. In a JSON body values are escaped for a
 * JSON string, so Slack/Teams-style bodies stay valid whatever the rows hold.
 */

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.-]{0,127})\}/g;

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Whether a body is JSON (read with every placeholder as `0`), so substituted values must be
 * escaped for a JSON string.
 */
export function isJsonBody(body: string): boolean {
  const t = body.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return false;
  try {
    JSON.parse(t.replace(PLACEHOLDER, '0'));
    return true;
  } catch {
    return false;
  }
}

/** `body` with every known `{name}` replaced; `json` escapes each value for a JSON string. */
export function renderTemplate(
  body: string,
  values: Readonly<Record<string, unknown>>,
  json = isJsonBody(body),
): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) return whole;
    const v = text(values[name]);
    return json ? JSON.stringify(v).slice(1, -1) : v;
  });
}

/** One line per row from the alert's row template (the row as JSON when there is none). */
export function renderRows(
  rows: ReadonlyArray<Record<string, unknown>>,
  rowTemplate: string,
): string {
  if (rowTemplate.trim() === '') return rows.map((row) => JSON.stringify(row)).join('\n');
  return rows.map((row) => renderTemplate(rowTemplate, row, false)).join('\n');
}

export interface AlertFacts {
  org: string;
  alertName: string;
  alertId: string;
  streamType: string;
  streamName: string;
  alertType: string;
  description: string;
  period: number;
  operator: string;
  threshold: number;
  count: number;
  /** µs */
  startTime: number;
  endTime: number;
  triggerTime: number;
  url: string;
  rows: string;
  sql: string;
  priority?: number;
  contextAttributes: Record<string, string>;
}

const iso = (us: number) => new Date(Math.floor(us / 1000)).toISOString();

/** The placeholders an alert notification fills. */
export function alertPlaceholders(f: AlertFacts): Record<string, unknown> {
  return {
    ...f.contextAttributes,
    org_name: f.org,
    stream_type: f.streamType,
    stream_name: f.streamName,
    alert_name: f.alertName,
    alert_id: f.alertId,
    alert_type: f.alertType,
    alert_description: f.description,
    alert_period: f.period,
    alert_operator: f.operator,
    alert_threshold: f.threshold,
    alert_count: f.count,
    alert_agg_value: f.count,
    alert_start_time: iso(f.startTime),
    alert_end_time: iso(f.endTime),
    alert_trigger_time: f.triggerTime,
    alert_trigger_time_millis: Math.floor(f.triggerTime / 1000),
    alert_trigger_time_seconds: Math.floor(f.triggerTime / 1e6),
    alert_trigger_time_str: iso(f.triggerTime),
    alert_url: f.url,
    alert_priority: f.priority ?? '',
    alert_sql: f.sql,
    rows: f.rows,
  };
}

export interface PrebuiltTemplate {
  name: string;
  type: 'http' | 'email';
  title: string;
  body: string;
}

/** The system templates every org sees (`GET /templates/system/prebuilt`). */
export const PREBUILT_TEMPLATES: readonly PrebuiltTemplate[] = [
  {
    name: 'system-prebuilt-slack',
    type: 'http',
    title: '',
    body: '{"text":"*{alert_name}* fired: {alert_count} {alert_operator} {alert_threshold} on {stream_name} ({alert_start_time} – {alert_end_time})\\n{rows}\\n<{alert_url}|Open in O2>"}',
  },
  {
    name: 'system-prebuilt-teams',
    type: 'http',
    title: '',
    body: '{"@type":"MessageCard","@context":"http://schema.org/extensions","summary":"{alert_name}","title":"{alert_name} fired","text":"{alert_count} {alert_operator} {alert_threshold} on {stream_name}\\n\\n{rows}\\n\\n[Open in O2]({alert_url})"}',
  },
  {
    name: 'system-prebuilt-webhook',
    type: 'http',
    title: '',
    body: '{"alert_name":"{alert_name}","org":"{org_name}","stream":"{stream_name}","count":"{alert_count}","start":"{alert_start_time}","end":"{alert_end_time}","url":"{alert_url}","rows":"{rows}"}',
  },
  {
    name: 'system-prebuilt-email',
    type: 'email',
    title: 'Alert {alert_name} fired',
    body: '<h3>{alert_name}</h3><p>{alert_count} {alert_operator} {alert_threshold} on {stream_type}/{stream_name} between {alert_start_time} and {alert_end_time}.</p><pre>{rows}</pre><p><a href="{alert_url}">Open in O2</a></p>',
  },
];
