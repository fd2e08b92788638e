import type { SpanRecord } from '@o2/api-schemas';

/** A span placed in the waterfall: its depth under the root and how many children it has. */
export interface TreeRow {
  span: SpanRecord;
  depth: number;
  childCount: number;
}

const parentOf = (span: SpanRecord) => span.reference_parent_span_id ?? '';

/**
 * The spans of one trace as a depth-first list (children by start time), as the waterfall shows
 * them. A span whose parent is missing from the trace (not arrived, or outside the window) is a
 * root of its own rather than dropped; spans under a collapsed span are left out.
 */
export function treeRows(spans: readonly SpanRecord[], collapsed: ReadonlySet<string>): TreeRow[] {
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string, SpanRecord[]>();
  const roots: SpanRecord[] = [];
  for (const span of [...spans].sort((a, b) => a.start_time - b.start_time)) {
    const parent = parentOf(span);
    if (parent === '' || !ids.has(parent) || parent === span.span_id) roots.push(span);
    else children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  // Every span is walked (so the cycle pass below knows it), only visible ones become rows.
  const visit = (span: SpanRecord, depth: number, hidden: boolean) => {
    // A cycle in bad data (a → b → a) must not hang the page.
    if (seen.has(span.span_id)) return;
    seen.add(span.span_id);
    const kids = children.get(span.span_id) ?? [];
    if (!hidden) rows.push({ span, depth, childCount: kids.length });
    const hideKids = hidden || collapsed.has(span.span_id);
    for (const kid of kids) visit(kid, depth + 1, hideKids);
  };
  for (const root of roots) visit(root, 0, false);
  // Spans only reachable through a parent cycle (bad data) are shown as roots, not dropped.
  for (const span of spans) if (!seen.has(span.span_id)) visit(span, 0, false);
  return rows;
}

/** The trace's bounds in ns, from its spans. */
export function traceBounds(spans: readonly SpanRecord[]): { start: number; end: number } {
  if (spans.length === 0) return { start: 0, end: 0 };
  // A loop, not Math.min(...spans): a trace of 100k spans would overflow the argument list.
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    start = Math.min(start, s.start_time);
    end = Math.max(end, s.end_time);
  }
  return { start, end };
}

/** µs → "100 ms", "1.25 s", "850 µs" (the list's and the waterfall's durations). */
export function formatDuration(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${Number((us / 1000).toFixed(2))} ms`;
  return `${Number((us / 1_000_000).toFixed(2))} s`;
}

/** Evenly spaced ruler ticks over a trace of `totalUs`: offsets in µs, first at 0. */
export function rulerTicks(totalUs: number, count = 5): number[] {
  if (totalUs <= 0) return [0];
  return Array.from({ length: count + 1 }, (_, i) => (totalUs * i) / count);
}

const PALETTE = [
  '#5960b2',
  '#2e9e6e',
  '#d9822b',
  '#8e5db5',
  '#2b8fd9',
  '#c2497c',
  '#7d8c2b',
  '#3aa6a6',
];

/** One colour per service name, the same on every page (a hash of the name into the palette). */
export function serviceColor(service: string): string {
  // FNV-1a, then a murmur-style finaliser so short names spread over the palette.
  let hash = 2166136261;
  for (const ch of service) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 13), 0x5bd1e995) >>> 0;
  hash = (hash ^ (hash >>> 15)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

/** A span event: name, time (ns) and its attributes (every other key). */
export interface SpanEvent {
  name: string;
  timeNs: number;
  attributes: Record<string, unknown>;
}

/** A span link: the linked trace and span, and the link's attributes. */
export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function jsonArray(text: unknown): Record<string, unknown>[] {
  if (typeof text !== 'string' || text === '') return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed)
      ? parsed.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
      : [];
  } catch {
    return [];
  }
}

/** `events` (a JSON string of `[{name, _timestamp, ...attrs}]`, O2-CONTRACT §9.1). */
export function spanEvents(span: SpanRecord): SpanEvent[] {
  return jsonArray(span.events).map(({ name, _timestamp, ...attributes }) => ({
    name: typeof name === 'string' ? name : '',
    timeNs: typeof _timestamp === 'number' ? _timestamp : Number(_timestamp ?? 0),
    attributes,
  }));
}

/** `links` (a JSON string of `[{context: {traceId, spanId, …}, ...attrs}]`). */
export function spanLinks(span: SpanRecord): SpanLink[] {
  return jsonArray(span.links).map(({ context, ...attributes }) => {
    const ctx = (typeof context === 'object' && context !== null ? context : {}) as Record<
      string,
      unknown
    >;
    return {
      traceId: text(ctx['traceId'] ?? ctx['trace_id']),
      spanId: text(ctx['spanId'] ?? ctx['span_id']),
      attributes,
    };
  });
}

/** Columns that are the span's structure, shown in the header rather than as attributes. */
const STRUCTURE = new Set(['events', 'links']);

/** The span's attribute rows (resource `service_*` and span attributes), sorted by name. */
export function spanAttributes(span: SpanRecord): Array<[string, unknown]> {
  return Object.entries(span)
    .filter(([key, value]) => !STRUCTURE.has(key) && value !== null && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
}

/** OTLP span kinds, stored as the number's string (O2-CONTRACT §9.1). */
export const SPAN_KINDS: Record<string, string> = {
  '0': 'Unspecified',
  '1': 'Internal',
  '2': 'Server',
  '3': 'Client',
  '4': 'Producer',
  '5': 'Consumer',
};
