// The read-back of the trace `sendHotCommerceTrace` sends, shared by the single-node and cluster
// tests: what traces/latest, details and the service graph must answer for it wherever it landed.
// Throws (no test framework here) with what was answered; the tests add their own checks on top.

/** An answer of the trace API: HTTP status, raw text and the body parsed as JSON. */
export interface TraceApiAnswer {
  status: number;
  text: string;
  body: unknown;
}

/** GETs `/api/<org>/<path>` as a user of the org. */
export type TraceApiGet = (path: string) => Promise<TraceApiAnswer>;

export interface SdkTraceQuery {
  stream: string;
  traceId: string;
  /** `start_time=…&end_time=…` (µs) around the trace. */
  window: string;
}

type Row = Record<string, unknown>;

/** The service-graph calls of the SDK trace as [from, to, requests, errors]: price fails. */
export const HOT_COMMERCE_SDK_EDGES: ReadonlyArray<readonly [string, string, number, number]> = [
  ['frontend', 'shop', 1, 0],
  ['shop', 'product', 1, 0],
  ['product', 'review', 1, 0],
  ['product', 'price', 1, 1],
];

function check(ok: boolean, what: string, answered: unknown): void {
  if (!ok) throw new Error(`${what}; answered ${JSON.stringify(answered).slice(0, 1000)}`);
}

async function getOk(get: TraceApiGet, path: string): Promise<unknown> {
  const answer = await get(path);
  check(answer.status === 200, `GET ${path} should answer 200`, answer.text);
  return answer.body;
}

/** traces/latest lists the trace with 9 spans, 1 of them an error; resolves with body and hit. */
export async function latestSdkTrace(
  get: TraceApiGet,
  { stream, traceId, window }: SdkTraceQuery,
): Promise<{ body: unknown; hit: Row }> {
  const body = await getOk(get, `${stream}/traces/latest?${window}`);
  const hits = (body as { hits?: Row[] }).hits ?? [];
  const hit = hits.find((h) => h['trace_id'] === traceId);
  check(hit !== undefined, `traces/latest should list ${traceId}`, body);
  check(JSON.stringify(hit?.['spans']) === '[9,1]', 'the trace should count [9, 1] spans', hit);
  return { body, hit: hit as Row };
}

/** details holds the 9 spans, the price quote (ERROR) under GetPrice; resolves with body and spans. */
export async function sdkTraceSpans(
  get: TraceApiGet,
  { stream, traceId, window }: SdkTraceQuery,
): Promise<{ body: unknown; spans: Row[] }> {
  const body = await getOk(get, `${stream}/traces/${traceId}/details?${window}`);
  const spans = (body as { hits?: Row[] }).hits ?? [];
  check(spans.length === 9, 'details should hold 9 spans', body);
  const quote = spans.find((s) => s['operation_name'] === 'Quote');
  const getPrice = spans.find((s) => s['operation_name'] === 'GetPrice');
  check(
    quote?.['reference_parent_span_id'] === getPrice?.['span_id'] &&
      getPrice?.['span_id'] !== undefined,
    'Quote should be a child of GetPrice',
    [quote, getPrice],
  );
  check(quote?.['span_status'] === 'ERROR', 'Quote should be an ERROR span', quote);
  return { body, spans };
}

/** The stream's service graph holds the trace's four calls, price's failing. */
export async function expectSdkServiceGraph(
  get: TraceApiGet,
  { stream, window }: Omit<SdkTraceQuery, 'traceId'>,
): Promise<void> {
  const body = await getOk(get, `traces/service_graph/topology/current?stream=${stream}&${window}`);
  const edges = ((body as { edges?: Row[] }).edges ?? []).map((e) =>
    JSON.stringify([e['from'], e['to'], e['requests'], e['errors']]),
  );
  for (const edge of HOT_COMMERCE_SDK_EDGES)
    check(
      edges.includes(JSON.stringify(edge)),
      `the service graph should hold ${JSON.stringify(edge)}`,
      edges,
    );
}

/** All three read-backs: latest, details and service graph. */
export async function readBackHotCommerceTrace(
  get: TraceApiGet,
  query: SdkTraceQuery,
): Promise<void> {
  await latestSdkTrace(get, query);
  await sdkTraceSpans(get, query);
  await expectSdkServiceGraph(get, query);
}
