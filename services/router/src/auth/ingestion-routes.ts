/**
 * O2's ingestion endpoint names: a user's per-org passcode is accepted only on these.
 */
export const INGESTION_ENDPOINTS: ReadonlySet<string> = new Set([
  '_bulk',
  '_json',
  '_multi',
  'traces',
  'write',
  '_kinesis_firehose',
  '_license',
  '_xpack',
  '_index_template',
  '_data_stream',
  '_sub',
  'logs',
  'metrics',
  '_json_arrow',
  '_hec',
  'push',
]);

/**
 * Exact shapes of the ingestion routes under `/api/{org}/` (segments after the org; `*` is any
 * one segment). O2 accepts a passcode whenever the last segment or the one after the org is an
 * ingestion name; that string test also lets a passcode DELETE `/streams/logs` or read
 * `/{org}/logs/_values`, so we match each route's shape and method instead. Every shape here
 * still satisfies O2's test, so anything an O2 client ingests through works with a passcode.
 */
const SHAPES: ReadonlyArray<{ methods: readonly string[]; path: readonly string[] }> = [
  { methods: ['POST'], path: ['*', '_json'] },
  { methods: ['POST'], path: ['*', '_multi'] },
  { methods: ['POST'], path: ['*', '_json_arrow'] },
  { methods: ['POST'], path: ['*', '_kinesis_firehose'] },
  { methods: ['POST'], path: ['*', '_sub'] },
  { methods: ['POST'], path: ['_bulk'] },
  { methods: ['POST'], path: ['*', '_bulk'] },
  { methods: ['POST'], path: ['_hec'] },
  { methods: ['POST'], path: ['loki', 'api', 'v1', 'push'] },
  { methods: ['POST'], path: ['v1', 'logs'] },
  { methods: ['POST'], path: ['v1', 'metrics'] },
  { methods: ['POST'], path: ['v1', 'traces'] },
  { methods: ['POST'], path: ['traces'] },
  { methods: ['POST'], path: ['otel', 'v1', 'traces'] },
  { methods: ['POST'], path: ['ingest', 'metrics', '_json'] },
  { methods: ['POST'], path: ['prometheus', 'api', 'v1', 'write'] },
  // Elasticsearch clients (Filebeat, Fluent Bit's es output) probe these before bulk-loading,
  // with the same credentials they bulk with. O2's name test misses the info root, `_ilm` and
  // `_ingest`; they are canned answers that reveal nothing, so a passcode may read them too.
  { methods: ['GET', 'HEAD'], path: [] },
  { methods: ['GET', 'HEAD'], path: ['_license'] },
  { methods: ['GET', 'HEAD'], path: ['_xpack'] },
  { methods: ['GET', 'HEAD', 'POST', 'PUT'], path: ['_ilm', 'policy', '*'] },
  { methods: ['GET', 'HEAD', 'POST', 'PUT'], path: ['_index_template', '*'] },
  { methods: ['GET', 'HEAD', 'POST', 'PUT'], path: ['_data_stream', '*'] },
  { methods: ['GET', 'HEAD', 'POST', 'PUT'], path: ['_ingest', 'pipeline', '*'] },
];

/**
 * Whether `method` on `/api/{org}/{...rest}` is an ingestion route. `rest` are the decoded path
 * segments after the org.
 */
export function isIngestionRoute(method: string, rest: readonly string[]): boolean {
  const verb = method.toUpperCase();
  return SHAPES.some(
    (shape) =>
      shape.methods.includes(verb) &&
      shape.path.length === rest.length &&
      shape.path.every((part, i) => part === '*' || part === rest[i]),
  );
}
