import { basicAuth, ROOT } from '../product-process.js';

export { ROOT };

/** Test-speed alert settings: an alert minute is 2 s, the leader looks every second. */
export const FAST_ALERTS = {
  ZO_ALERT_MINUTE_SECONDS: '2',
  ZO_ALERT_SCHEDULE_INTERVAL: '1',
  // The webhook is a local server on loopback.
  ZO_SSRF_ALLOW_LOOPBACK: 'true',
};

export async function api(
  baseUrl: string,
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { authorization: basicAuth(ROOT.email, ROOT.password) };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain text answer
  }
  return { status: response.status, body };
}

async function ok(baseUrl: string, path: string, init: { method?: string; json?: unknown }) {
  const res = await api(baseUrl, path, init);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A webhook body that names the alert, the count, the period start and the rows. */
export const HOOK_TEMPLATE =
  '{"alert":"{alert_name}","count":"{alert_count}","start":"{alert_start_time}","rows":"{rows}"}';

export async function createHookDestination(baseUrl: string, hookUrl: string): Promise<void> {
  await ok(baseUrl, '/api/default/alerts/templates', {
    json: { name: 'hook_tmpl', body: HOOK_TEMPLATE, type: 'http' },
  });
  await ok(baseUrl, '/api/default/alerts/destinations', {
    json: { name: 'hook', url: `${hookUrl}/alert`, method: 'post', template: 'hook_tmpl' },
  });
}

/** Creates an alert (one alert minute period and frequency, no silence unless given). */
export async function createAlert(
  baseUrl: string,
  alert: Record<string, unknown>,
): Promise<string> {
  const body = await ok(baseUrl, '/api/v2/default/alerts', {
    json: {
      stream_type: 'logs',
      destinations: ['hook'],
      ...alert,
      trigger_condition: {
        period: 1,
        frequency: 1,
        operator: '>=',
        threshold: 1,
        silence: 0,
        ...(alert['trigger_condition'] as object | undefined),
      },
    },
  });
  return (body as { id: string }).id;
}

export async function ingestLogs(baseUrl: string, stream: string, rows: object[]): Promise<void> {
  await ok(baseUrl, `/api/default/${stream}/_json`, { json: rows });
}

export interface HistoryHit {
  status: string;
  start_time: number;
  end_time: number;
  source_node: string;
  error: string | null;
}

export async function alertHistory(baseUrl: string, alertId: string): Promise<HistoryHit[]> {
  const body = await ok(
    baseUrl,
    `/api/v2/default/alerts/history?alert_id=${alertId}&size=1000&sort_order=asc`,
    {},
  );
  return (body as { hits: HistoryHit[] }).hits;
}

export interface HookBody {
  alert: string;
  count: string;
  start: string;
  rows: string;
}
