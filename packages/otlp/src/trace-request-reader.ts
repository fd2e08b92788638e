import type { AttrValue } from './any-value.js';
import type { EventFields, LinkFields, ResourceSpanFields, SpanFields } from './span-fields.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, WireReader } from './wire-reader.js';

/**
 * An OTLP ExportTraceServiceRequest (proto/opentelemetry/.../trace_service.proto) read by hand
 * into the fields a span row needs. It decodes what protobuf-es decoded, to the same values
 * (traces-to-documents.test.ts holds the two side by side), at a fraction of the cost and
 * garbage: attributes become plain values as they are read. As in any protobuf decoder, a
 * singular message field sent twice is merged (resource, status, an attribute's value).
 */

const EMPTY = new Uint8Array(0);

type Attrs = Record<string, AttrValue>;

function isKvList(value: AttrValue | undefined): value is { [key: string]: AttrValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An AnyValue, merged into `previous` (the same field read before) as protobuf does. */
function readAnyValue(r: WireReader, previous: AttrValue | undefined): AttrValue {
  const end = r.enter();
  let value: AttrValue = previous ?? null;
  while (r.pos < end) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        r.expect(wire, WIRE_LEN, field);
        value = r.string();
        break;
      case 2:
        r.expect(wire, WIRE_VARINT, field);
        value = r.bool();
        break;
      case 3:
        r.expect(wire, WIRE_VARINT, field);
        value = r.int64();
        break;
      case 4:
        r.expect(wire, WIRE_FIXED64, field);
        value = r.double();
        break;
      case 5:
        r.expect(wire, WIRE_LEN, field);
        value = readArrayValue(r, Array.isArray(value) ? value : []);
        break;
      case 6:
        r.expect(wire, WIRE_LEN, field);
        value = readKeyValues(r, 1, isKvList(value) ? value : {});
        break;
      case 7: {
        r.expect(wire, WIRE_LEN, field);
        const bytes = r.bytesField();
        // OTLP/JSON's form of bytes, as `anyValue` gives.
        value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
        break;
      }
      default:
        r.skip(wire, field);
    }
  }
  r.leave(end);
  return value;
}

function readArrayValue(r: WireReader, into: AttrValue[]): AttrValue[] {
  const end = r.enter();
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WIRE_LEN, field);
      into.push(readAnyValue(r, undefined));
    } else r.skip(wire, field);
  }
  r.leave(end);
  return into;
}

/** One KeyValue into `into` (a later duplicate key wins, as in `attributes`). */
function readKeyValue(r: WireReader, into: Attrs): void {
  const end = r.enter();
  let key = '';
  let value: AttrValue | undefined;
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WIRE_LEN, field);
      key = r.string();
    } else if (field === 2) {
      r.expect(wire, WIRE_LEN, field);
      value = readAnyValue(r, value);
    } else r.skip(wire, field);
  }
  r.leave(end);
  into[key] = value ?? null;
}

/** A message whose field `listField` is `repeated KeyValue` (KeyValueList, Resource). */
function readKeyValues(r: WireReader, listField: number, into: Attrs): Attrs {
  const end = r.enter();
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === listField) {
      r.expect(wire, WIRE_LEN, field);
      readKeyValue(r, into);
    } else r.skip(wire, field); // Resource.dropped_attributes_count is not stored
  }
  r.leave(end);
  return into;
}

/** InstrumentationScope: nothing of it is stored, but it must be a valid message. */
function checkScope(r: WireReader): void {
  const end = r.enter();
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === 1 || field === 2) {
      r.expect(wire, WIRE_LEN, field);
      r.string();
    } else if (field === 3) {
      r.expect(wire, WIRE_LEN, field);
      readKeyValue(r, {});
    } else if (field === 4) {
      r.expect(wire, WIRE_VARINT, field);
      r.uint32();
    } else r.skip(wire, field);
  }
  r.leave(end);
}

function readStatus(r: WireReader, into: { code: number; message: string }): void {
  const end = r.enter();
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === 2) {
      r.expect(wire, WIRE_LEN, field);
      into.message = r.string();
    } else if (field === 3) {
      r.expect(wire, WIRE_VARINT, field);
      into.code = r.int32();
    } else r.skip(wire, field);
  }
  r.leave(end);
}

function readEvent(r: WireReader): EventFields {
  const end = r.enter();
  const event: EventFields = { timeUnixNano: 0n, name: '', attributes: {} };
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WIRE_FIXED64, field);
      event.timeUnixNano = r.fixed64();
    } else if (field === 2) {
      r.expect(wire, WIRE_LEN, field);
      event.name = r.string();
    } else if (field === 3) {
      r.expect(wire, WIRE_LEN, field);
      readKeyValue(r, event.attributes);
    } else if (field === 4) {
      r.expect(wire, WIRE_VARINT, field);
      r.uint32();
    } else r.skip(wire, field);
  }
  r.leave(end);
  return event;
}

function readLink(r: WireReader): LinkFields {
  const end = r.enter();
  const link: LinkFields = {
    traceId: EMPTY,
    spanId: EMPTY,
    traceState: '',
    flags: 0,
    attributes: {},
    droppedAttributesCount: 0,
  };
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === 1 || field === 2 || field === 3 || field === 4) r.expect(wire, WIRE_LEN, field);
    if (field === 1) link.traceId = r.bytesField();
    else if (field === 2) link.spanId = r.bytesField();
    else if (field === 3) link.traceState = r.string();
    else if (field === 4) readKeyValue(r, link.attributes);
    else if (field === 5) {
      r.expect(wire, WIRE_VARINT, field);
      link.droppedAttributesCount = r.uint32();
    } else if (field === 6) {
      r.expect(wire, WIRE_FIXED32, field);
      link.flags = r.fixed32();
    } else r.skip(wire, field);
  }
  r.leave(end);
  return link;
}

/** Span fields by number: bytes/strings/messages (LEN), varints, fixed64 times, fixed32 flags. */
function readSpan(r: WireReader): SpanFields {
  const end = r.enter();
  const span: SpanFields = {
    traceId: EMPTY,
    spanId: EMPTY,
    parentSpanId: EMPTY,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    links: [],
    status: undefined,
  };
  while (r.pos < end) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
      case 2:
      case 3:
      case 4:
      case 5:
      case 9:
      case 11:
      case 13:
      case 15:
        r.expect(wire, WIRE_LEN, field);
        break;
      case 6:
      case 10:
      case 12:
      case 14:
        r.expect(wire, WIRE_VARINT, field);
        break;
      case 7:
      case 8:
        r.expect(wire, WIRE_FIXED64, field);
        break;
      case 16:
        r.expect(wire, WIRE_FIXED32, field);
        break;
    }
    switch (field) {
      case 1:
        span.traceId = r.bytesField();
        break;
      case 2:
        span.spanId = r.bytesField();
        break;
      case 3:
        r.string(); // trace_state: not stored, but a string all the same
        break;
      case 4:
        span.parentSpanId = r.bytesField();
        break;
      case 5:
        span.name = r.string();
        break;
      case 6:
        span.kind = r.int32();
        break;
      case 7:
        span.startTimeUnixNano = r.fixed64();
        break;
      case 8:
        span.endTimeUnixNano = r.fixed64();
        break;
      case 9:
        readKeyValue(r, span.attributes);
        break;
      case 10:
      case 12:
      case 14:
        r.uint32(); // dropped_*_count
        break;
      case 11:
        span.events.push(readEvent(r));
        break;
      case 13:
        span.links.push(readLink(r));
        break;
      case 15:
        span.status ??= { code: 0, message: '' };
        readStatus(r, span.status);
        break;
      case 16:
        r.fixed32(); // flags: O2 stores 1 whatever they say
        break;
      default:
        r.skip(wire, field);
    }
  }
  r.leave(end);
  return span;
}

function readScopeSpans(r: WireReader, into: SpanFields[]): void {
  const end = r.enter();
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === 1 || field === 2 || field === 3) r.expect(wire, WIRE_LEN, field);
    if (field === 1) checkScope(r);
    else if (field === 2) into.push(readSpan(r));
    else if (field === 3)
      r.string(); // schema_url
    else r.skip(wire, field);
  }
  r.leave(end);
}

function readResourceSpans(r: WireReader): ResourceSpanFields {
  const end = r.enter();
  const out: ResourceSpanFields = { resource: {}, spans: [] };
  while (r.pos < end) {
    const [field, wire] = r.tag();
    if (field === 1 || field === 2 || field === 3) r.expect(wire, WIRE_LEN, field);
    // A second `resource` merges into the first: its attributes are appended.
    if (field === 1) readKeyValues(r, 1, out.resource);
    else if (field === 2) readScopeSpans(r, out.spans);
    else if (field === 3)
      r.string(); // schema_url
    else r.skip(wire, field);
  }
  r.leave(end);
  return out;
}

/**
 * The resource spans of an ExportTraceServiceRequest. A body that is not one (truncated,
 * invalid UTF-8, nested past 100 messages, a field of the wrong wire type) throws
 * INVALID_ARGUMENT `Invalid protobuf ExportTraceServiceRequest: <problem>`.
 */
export function readTraceRequest(body: Uint8Array): ResourceSpanFields[] {
  const r = new WireReader(body, 'ExportTraceServiceRequest');
  const out: ResourceSpanFields[] = [];
  r.depth = 1; // the request itself, as protobuf-es counts
  while (r.pos < r.end) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(wire, WIRE_LEN, field);
      out.push(readResourceSpans(r));
    } else r.skip(wire, field);
  }
  return out;
}
