// What the pipeline e2e tests (realtime and scheduled, single node and cluster) share: the
// org-scoped API calls, reading a stream back, and O2 pipeline bodies.

/** The VRL function `shout` the pipeline calls. */
export const SHOUT =
  '.msg = upcase(string!(.msg))\n.code = to_int!(.code) * 10\n.via = "scheduled"';

export const node = (id: string, data: Record<string, unknown>) => ({
  id,
  data,
  position: { x: 0, y: 0 },
  io_type: 'default',
});
export const stream = (name: string) => ({
  node_type: 'stream',
  org_id: 'default',
  stream_name: name,
  stream_type: 'logs',
});
export const edge = (source: string, target: string) => ({
  id: `e${source}-${target}`,
  source,
  target,
});

/** A scheduled pipeline: SQL over `source` every `frequency` minutes, a function, `dest`. */
export const scheduledPipeline = (
  name: string,
  source: string,
  dest: string,
  enabled: boolean,
) => ({
  name,
  enabled,
  nodes: [
    node('q', {
      node_type: 'query',
      org_id: 'default',
      stream_type: 'logs',
      query_condition: { type: 'sql', sql: `SELECT * FROM "${source}" WHERE level = 'error'` },
      // A schedule minute is ZO_ALERT_MINUTE_SECONDS (2 s here): every 4 s over the last 120 s.
      trigger_condition: { period: 60, frequency: 2, frequency_type: 'minutes', cron: '' },
      tz_offset: 0,
    }),
    node('fn', { node_type: 'function', name: 'shout', after_flatten: false }),
    node('dst', stream(dest)),
  ],
  edges: [edge('q', 'fn'), edge('fn', 'dst')],
});

/**
 * Calls to `/api/default…` of the node `baseUrl()` names (a function: tests restart the node),
 * and `rowsOf(stream)`: its rows ordered by `msg`, from the last hour.
 */
export function orgApi(baseUrl: () => string, authorization: string) {
  const api = (path: string, init: { method?: string; json?: unknown } = {}) =>
    fetch(`${baseUrl()}/api/default${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { authorization, 'content-type': 'application/json' },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
  const rowsOf = async (name: string): Promise<Array<Record<string, unknown>>> => {
    const response = await api('/_search?type=logs', {
      json: {
        query: {
          sql: `SELECT * FROM "${name}" ORDER BY msg`,
          start_time: (Date.now() - 3_600_000) * 1000,
          end_time: (Date.now() + 60_000) * 1000,
          size: 1000,
        },
      },
    });
    return ((await response.json()) as { hits?: Array<Record<string, unknown>> }).hits ?? [];
  };
  return { api, rowsOf };
}
