/**
 * Synthetic traces of the HOT Commerce demo shape (frontend → shop → product → {review, price}),
 * written as rows exactly as O2-CONTRACT §9.1 stores spans: ns start/end, µs duration, numeric
 * `span_kind`, `span_status`, `events`/`links` as JSON strings, resource attributes as
 * `service_*`, `reference_parent_span_id` only on child spans. Tests ingest them as a `traces`
 * stream and check the trace APIs against the facts exported beside them.
 */
export type SpanRow = Record<string, string | number>;

interface SpanSpec {
  id: string;
  parent?: string;
  service: string;
  name: string;
  kind: '1' | '2' | '3';
  /** ms after the trace start */
  from: number;
  to: number;
  error?: string;
  attrs?: Record<string, string | number>;
  events?: Array<Record<string, string | number>>;
}

/** The main trace: 10 spans over 5 services plus a Postgres call, one ERROR, one span event. */
const HOT_COMMERCE: readonly SpanSpec[] = [
  { id: 'a1', service: 'frontend', name: 'GET /product/{id}', kind: '2', from: 0, to: 100 },
  { id: 'a2', parent: 'a1', service: 'frontend', name: 'GET shop', kind: '3', from: 5, to: 95 },
  {
    id: 'b1',
    parent: 'a2',
    service: 'shop',
    name: 'GET /shop/product',
    kind: '2',
    from: 10,
    to: 90,
  },
  { id: 'b2', parent: 'b1', service: 'shop', name: 'GET product', kind: '3', from: 15, to: 85 },
  { id: 'c1', parent: 'b2', service: 'product', name: 'GetProduct', kind: '2', from: 20, to: 80 },
  { id: 'c2', parent: 'c1', service: 'product', name: 'GetReviews', kind: '3', from: 25, to: 45 },
  {
    id: 'd1',
    parent: 'c2',
    service: 'review',
    name: 'ListReviews',
    kind: '2',
    from: 27,
    to: 43,
    error: 'review store timeout',
  },
  { id: 'c3', parent: 'c1', service: 'product', name: 'GetPrice', kind: '3', from: 50, to: 75 },
  {
    id: 'e1',
    parent: 'c3',
    service: 'price',
    name: 'GetPrice',
    kind: '2',
    from: 52,
    to: 73,
    events: [{ name: 'cache miss', at: 53, key: 'sku-1' }],
  },
  {
    id: 'e2',
    parent: 'e1',
    service: 'price',
    name: 'SELECT prices',
    kind: '3',
    from: 55,
    to: 70,
    attrs: { peer_service: 'postgres', db_system: 'postgresql' },
  },
];

const MS = 1_000_000; // ns

/** A 16-hex span id from a short label, stable per trace (span ids are 8 bytes). */
const spanId = (traceId: string, label: string) =>
  (traceId.slice(0, 8) + Buffer.from(label).toString('hex')).padEnd(16, '0').slice(0, 16);

function spanRows(traceId: string, startNs: number, specs: readonly SpanSpec[]): SpanRow[] {
  return specs.map((spec) => {
    const start = startNs + spec.from * MS;
    const end = startNs + spec.to * MS;
    const row: SpanRow = {
      _timestamp: Math.floor(start / 1000),
      trace_id: traceId,
      span_id: spanId(traceId, spec.id),
      flags: 1,
      span_status: spec.error === undefined ? 'UNSET' : 'ERROR',
      span_kind: spec.kind,
      operation_name: spec.name,
      start_time: start,
      end_time: end,
      duration: Math.round((end - start) / 1000),
      service_name: spec.service,
      service_telemetry_sdk_language: 'nodejs',
      status_code: spec.error === undefined ? 0 : 2,
      status_message: spec.error ?? '',
      events: JSON.stringify(
        (spec.events ?? []).map(({ at, ...rest }) => ({
          ...rest,
          _timestamp: startNs + Number(at) * MS,
        })),
      ),
      links: '[]',
      ...spec.attrs,
    };
    if (spec.parent !== undefined) {
      row['reference_parent_span_id'] = spanId(traceId, spec.parent);
      row['reference_parent_trace_id'] = traceId;
      row['reference_ref_type'] = 'ChildOf';
    }
    return row;
  });
}

export interface HotCommerceTraces {
  /** Every span row of the three traces, ready for a `_json` body. */
  rows: SpanRow[];
  /** The 10-span HOT Commerce trace (100 ms, 1 error). */
  main: { traceId: string; startNs: number; endNs: number; spanIds: Record<string, string> };
  /** A one-span frontend trace 1 s later (10 ms). */
  small: { traceId: string };
  /** A two-span frontend → shop trace 2 s later (50 ms). */
  medium: { traceId: string };
}

/**
 * The HOT Commerce trace starting at `startNs` (choose whole seconds so ns values are exact
 * doubles) plus two smaller traces for paging and sorting.
 */
export function hotCommerceTraces(startNs: number, seed = 'a'): HotCommerceTraces {
  const id = (n: number) => `${seed.repeat(8)}${String(n).repeat(24)}`.slice(0, 32);
  const main = id(1);
  const small = id(2);
  const medium = id(3);
  const rows = [
    ...spanRows(main, startNs, HOT_COMMERCE),
    ...spanRows(small, startNs + 1000 * MS, [
      { id: 'f1', service: 'frontend', name: 'GET /', kind: '2', from: 0, to: 10 },
    ]),
    ...spanRows(medium, startNs + 2000 * MS, [
      { id: 'g1', service: 'frontend', name: 'GET /cart', kind: '2', from: 0, to: 50 },
      { id: 'g2', parent: 'g1', service: 'shop', name: 'GetCart', kind: '2', from: 5, to: 45 },
    ]),
  ];
  const spanIds = Object.fromEntries(HOT_COMMERCE.map((s) => [s.id, spanId(main, s.id)]));
  return {
    rows,
    main: { traceId: main, startNs, endNs: startNs + 100 * MS, spanIds },
    small: { traceId: small },
    medium: { traceId: medium },
  };
}
