/** A scheduled pipeline body for the e2e tests (single node and cluster). */

/** The VRL function `shout` the pipeline calls. */
export const SHOUT =
  '.msg = upcase(string!(.msg))\n.code = to_int!(.code) * 10\n.via = "scheduled"';

const node = (id: string, data: Record<string, unknown>) => ({
  id,
  data,
  position: { x: 0, y: 0 },
  io_type: 'default',
});
const stream = (name: string) => ({
  node_type: 'stream',
  org_id: 'default',
  stream_name: name,
  stream_type: 'logs',
});
const edge = (source: string, target: string) => ({ id: `e${source}-${target}`, source, target });

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
