import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { AppError } from '@o2/errors';
import type { AnyValueSchema } from '@o2/proto';
import { ExportTraceServiceRequestSchema } from '@o2/proto';
import { describe, expect, it } from 'vitest';
import { resourceSpanFieldsOf } from './span-fields.js';
import { readTraceRequest } from './trace-request-reader.js';
import { tracesToDocuments } from './traces-to-documents.js';

type RequestInit = MessageInitShape<typeof ExportTraceServiceRequestSchema>;
type AnyValueInit = MessageInitShape<typeof AnyValueSchema>;

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INT64_EDGES = [
  0n,
  1n,
  -1n,
  2n ** 53n - 1n,
  2n ** 53n,
  -(2n ** 53n),
  2n ** 63n - 1n,
  -(2n ** 63n),
];
const TEXTS = [
  '',
  'a',
  'http.route',
  'ünïcödé ✓',
  '😀 emoji',
  '\uFEFFbom',
  'x'.repeat(300),
  '\u0000',
];

function generator(seed: number) {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const id = (n: number) => (rand() < 0.1 ? bytes(pick([0, 3, n + 1])) : bytes(n));

  const anyValue = (depth: number): AnyValueInit => {
    switch (int(depth > 2 ? 6 : 8)) {
      case 0:
        return { value: { case: 'stringValue', value: pick(TEXTS) } };
      case 1:
        return { value: { case: 'boolValue', value: rand() < 0.5 } };
      case 2:
        return {
          value: { case: 'intValue', value: rand() < 0.5 ? pick(INT64_EDGES) : BigInt(int(1e6)) },
        };
      case 3:
        return { value: { case: 'doubleValue', value: pick([0.5, -1e300, NaN, Infinity, 3]) } };
      case 4:
        return { value: { case: 'bytesValue', value: bytes(int(5)) } };
      case 5:
        return {}; // an empty AnyValue: null
      case 6:
        return {
          value: {
            case: 'arrayValue',
            value: { values: Array.from({ length: int(3) }, () => anyValue(depth + 1)) },
          },
        };
      default:
        return { value: { case: 'kvlistValue', value: { values: attributes(depth + 1) } } };
    }
  };
  const attributes = (depth = 0) =>
    Array.from({ length: int(4) }, () => ({
      key: pick(['k', 'http.route', 'service.name', 'duration', 'k']),
      ...(rand() < 0.9 ? { value: anyValue(depth) } : {}),
    }));
  const time = () => pick([0n, 1_700_000_000_000_000_001n, 2n ** 64n - 1n, BigInt(int(1e9))]);
  const span = () => ({
    traceId: id(16),
    spanId: id(8),
    parentSpanId: pick([new Uint8Array(), bytes(8), bytes(4)]),
    traceState: pick(TEXTS),
    name: pick(TEXTS),
    kind: pick([0, 1, 2, 3, 4, 5, 99]),
    startTimeUnixNano: time(),
    endTimeUnixNano: time(),
    attributes: attributes(),
    droppedAttributesCount: int(3),
    events: Array.from({ length: int(3) }, () => ({
      timeUnixNano: time(),
      name: pick(TEXTS),
      attributes: attributes(),
    })),
    links: Array.from({ length: int(3) }, () => ({
      traceId: id(16),
      spanId: id(8),
      traceState: pick(TEXTS),
      attributes: attributes(),
      droppedAttributesCount: int(4),
      flags: pick([0, 1, 0x1ff, 0xffffffff]),
    })),
    ...(rand() < 0.7 ? { status: { code: pick([0, 1, 2, 7]), message: pick(TEXTS) } } : {}),
    flags: int(0x300),
  });
  const request = (): RequestInit => ({
    resourceSpans: Array.from({ length: 1 + int(3) }, () => ({
      ...(rand() < 0.8
        ? { resource: { attributes: attributes(), droppedAttributesCount: 1 } }
        : {}),
      scopeSpans: Array.from({ length: int(3) }, () => ({
        ...(rand() < 0.5 ? { scope: { name: 'lib', version: '1', attributes: attributes() } } : {}),
        spans: Array.from({ length: int(4) }, span),
        schemaUrl: pick(TEXTS),
      })),
      schemaUrl: 'https://opentelemetry.io/schemas/1.4.0',
    })),
  });
  return { request };
}

const encode = (init: RequestInit) =>
  toBinary(ExportTraceServiceRequestSchema, create(ExportTraceServiceRequestSchema, init));

/** What protobuf-es (the decoder the reader replaces) makes of the same bytes. */
const reference = (bytes: Uint8Array) =>
  resourceSpanFieldsOf(fromBinary(ExportTraceServiceRequestSchema, bytes));

/** The outcome of a decode: its value, or that it threw. */
function outcome(decode: () => unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: decode() };
  } catch {
    return { ok: false };
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

const tag = (field: number, wireType: number): number[] => varint((field << 3) | wireType);

/** A length-delimited field (wire type 2). */
const len = (field: number, payload: ArrayLike<number>): number[] => [
  ...tag(field, 2),
  ...varint(payload.length),
  ...Array.from(payload),
];

/** One unknown field of each wire type, groups included. */
const UNKNOWN = [
  ...tag(90, 0),
  ...[0x96, 0x01],
  ...tag(91, 1),
  ...[1, 2, 3, 4, 5, 6, 7, 8],
  ...len(92, [1, 2, 3]),
  ...tag(93, 5),
  ...[1, 2, 3, 4],
  ...tag(94, 3),
  ...[(1 << 3) | 0, 5],
  ...tag(94, 4),
];

describe('readTraceRequest decodes what protobuf-es decodes', () => {
  it('agrees on generated requests with every field and value kind', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const bytes = encode(generator(seed).request());
      expect(readTraceRequest(bytes), `seed ${seed}`).toEqual(reference(bytes));
    }
  });

  it('agrees on an empty body and on messages with every field missing', () => {
    expect(readTraceRequest(new Uint8Array())).toEqual([]);
    const bare = encode({ resourceSpans: [{ scopeSpans: [{ spans: [{}] }] }, {}] });
    expect(readTraceRequest(bare)).toEqual(reference(bare));
    expect(readTraceRequest(bare)[0]?.spans[0]).toMatchObject({ status: undefined, kind: 0 });
  });

  it('skips unknown fields of every wire type at every level', () => {
    const anyValue = [...len(1, [0x78]), ...UNKNOWN];
    const keyValue = [...len(1, [0x6b]), ...len(2, anyValue), ...UNKNOWN];
    const span = [...len(1, new Uint8Array(16)), ...UNKNOWN, ...len(9, keyValue), ...UNKNOWN];
    const scopeSpans = [...UNKNOWN, ...len(2, span)];
    const resourceSpans = [...len(1, [...UNKNOWN, ...len(1, keyValue)]), ...len(2, scopeSpans)];
    const bytes = Uint8Array.from([...UNKNOWN, ...len(1, resourceSpans), ...UNKNOWN]);
    expect(readTraceRequest(bytes)).toEqual(reference(bytes));
    expect(readTraceRequest(bytes)[0]?.spans[0]?.attributes).toEqual({ k: 'x' });
  });

  it('merges a singular message field sent twice, as protobuf does', () => {
    const status1 = len(15, [...len(2, [0x61]), (3 << 3) | 0, 2]);
    const status2 = len(15, len(2, [0x62]));
    const list = (key: number) => len(6, len(1, [...len(1, [key]), ...len(2, len(1, [0x76]))]));
    const keyValue = [...len(1, [0x6b]), ...len(2, list(0x61)), ...len(2, list(0x62))];
    const span = [...status1, ...len(9, keyValue), ...status2];
    const resource = (key: number) => len(1, len(1, [...len(1, [key]), ...len(2, len(1, [0x76]))]));
    const bytes = Uint8Array.from(
      len(1, [...resource(0x61), ...len(2, len(2, span)), ...resource(0x62)]),
    );
    const [decoded] = readTraceRequest(bytes);
    expect(readTraceRequest(bytes)).toEqual(reference(bytes));
    expect(decoded?.resource).toEqual({ a: 'v', b: 'v' });
    expect(decoded?.spans[0]?.status).toEqual({ code: 2, message: 'b' });
    expect(decoded?.spans[0]?.attributes).toEqual({ k: { a: 'v', b: 'v' } });
  });

  it('keeps every int64 exact: numbers when safe, bigints beyond', () => {
    const values = INT64_EDGES.map((value) => ({
      key: String(value),
      value: { value: { case: 'intValue' as const, value } },
    }));
    const bytes = encode({ resourceSpans: [{ resource: { attributes: values } }] });
    const resource = readTraceRequest(bytes)[0]?.resource;
    expect(resource).toEqual(reference(bytes)[0]?.resource);
    expect(resource?.['9007199254740991']).toBe(2 ** 53 - 1);
    expect(resource?.['-9223372036854775808']).toBe(-(2n ** 63n));
  });
});

describe('readTraceRequest refuses what is not an ExportTraceServiceRequest', () => {
  const refusal = (bytes: Uint8Array): string => {
    try {
      readTraceRequest(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INVALID_ARGUMENT');
      return (error as Error).message;
    }
    throw new Error('decoded');
  };

  it('refuses a truncated body wherever it is cut, and protobuf-es agrees on which cuts', () => {
    const bytes = encode(generator(7).request());
    for (let cut = 1; cut < bytes.length; cut++) {
      const prefix = bytes.subarray(0, cut);
      const ours = outcome(() => readTraceRequest(prefix));
      expect(ours, `cut at ${cut}`).toEqual(outcome(() => reference(prefix)));
      if (!ours.ok)
        expect(refusal(prefix)).toMatch(/^Invalid protobuf ExportTraceServiceRequest: /);
    }
    expect(refusal(bytes.subarray(0, bytes.length - 1))).toBe(
      'Invalid protobuf ExportTraceServiceRequest: truncated message (premature end of data)',
    );
  });

  it('refuses invalid UTF-8 in any string, as protobuf-es does for proto3', () => {
    const badName = Uint8Array.from(len(1, len(2, len(2, len(5, [0x61, 0xff, 0x62])))));
    expect(() => reference(badName)).toThrow();
    expect(refusal(badName)).toBe(
      'Invalid protobuf ExportTraceServiceRequest: invalid UTF-8 in a string field',
    );
    // A real U+FFFD is text, not an error.
    const replacement = Uint8Array.from(len(1, len(2, len(2, len(5, [0xef, 0xbf, 0xbd])))));
    expect(readTraceRequest(replacement)[0]?.spans[0]?.name).toBe('\uFFFD');
  });

  it('refuses a known field with the wrong wire type, field number 0 and bad wire types', () => {
    const varintName = Uint8Array.from(len(1, len(2, len(2, [(5 << 3) | 0, 1]))));
    expect(refusal(varintName)).toBe(
      'Invalid protobuf ExportTraceServiceRequest: field 5 has wire type 0, expected 2',
    );
    expect(refusal(Uint8Array.from([0x00, 0x00]))).toMatch(/illegal field number 0/);
    expect(refusal(Uint8Array.from([(9 << 3) | 7]))).toMatch(/unexpected wire type 7/);
    expect(refusal(Uint8Array.from([(9 << 3) | 3, (8 << 3) | 4]))).toMatch(/invalid end group tag/);
    expect(refusal(Uint8Array.from([(9 << 3) | 3]))).toMatch(/truncated/);
  });

  it('refuses messages nested past 100 levels, as protobuf-es does', () => {
    const nested = (depth: number): Uint8Array => {
      let value: number[] = len(1, [0x78]);
      for (let i = 0; i < depth; i++) value = len(5, len(1, value)); // ArrayValue of one AnyValue
      const span = len(9, [...len(1, [0x6b]), ...len(2, value)]);
      return Uint8Array.from(len(1, len(2, len(2, span))));
    };
    expect(readTraceRequest(nested(10))).toEqual(reference(nested(10)));
    for (const depth of [47, 48, 60]) {
      const bytes = nested(depth);
      expect(outcome(() => readTraceRequest(bytes)).ok, `depth ${depth}`).toBe(
        outcome(() => reference(bytes)).ok,
      );
    }
    expect(refusal(nested(300))).toMatch(/maximum recursion depth of 100 reached/);
  });
});

describe('protobuf span rows', () => {
  it('are the rows OTLP/JSON of the same spans gives', () => {
    const init: RequestInit = {
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { value: { case: 'stringValue', value: 'api' } } },
            ],
          },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'),
                  spanId: Buffer.from('eee19b7ec3c1b174', 'hex'),
                  parentSpanId: Buffer.from('eee19b7ec3c1b173', 'hex'),
                  name: 'GET /users',
                  kind: 2,
                  startTimeUnixNano: 1_700_000_000_000_000_001n,
                  endTimeUnixNano: 1_700_000_000_002_000_001n,
                  attributes: [
                    { key: 'duration', value: { value: { case: 'intValue', value: 5n } } },
                  ],
                  events: [{ name: 'e', timeUnixNano: 9n }],
                  status: { code: 2, message: 'boom' },
                },
                { traceId: new Uint8Array(3), spanId: new Uint8Array(8) },
              ],
            },
          ],
        },
      ],
    };
    const message = create(ExportTraceServiceRequestSchema, init);
    const json = JSON.stringify({
      resourceSpans: message.resourceSpans.map((r) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
        scopeSpans: r.scopeSpans.map((s) => ({
          spans: s.spans.map((span) => ({
            traceId: Buffer.from(span.traceId).toString('hex'),
            spanId: Buffer.from(span.spanId).toString('hex'),
            parentSpanId: Buffer.from(span.parentSpanId).toString('hex'),
            name: span.name,
            kind: span.kind,
            startTimeUnixNano: String(span.startTimeUnixNano),
            endTimeUnixNano: String(span.endTimeUnixNano),
            attributes:
              span.attributes.length > 0 ? [{ key: 'duration', value: { intValue: '5' } }] : [],
            events: span.events.map((e) => ({
              name: e.name,
              timeUnixNano: String(e.timeUnixNano),
            })),
            ...(span.status === undefined ? {} : { status: { code: 2, message: 'boom' } }),
          })),
        })),
      })),
    });
    const fromProtobuf = tracesToDocuments(encode(init), 'protobuf', 1, 's').documents;
    const fromJson = tracesToDocuments(new TextEncoder().encode(json), 'json', 1, 's').documents;
    expect(fromProtobuf).toEqual(fromJson);
    expect(fromProtobuf.map((d) => d.error)).toEqual([
      undefined,
      'Invalid trace id: expected 16 bytes, got 3',
    ]);
    expect(fromProtobuf[0]?.record).toMatchObject({
      service_name: 'api',
      attr_duration: 5,
      span_status: 'ERROR',
      events: '[{"name":"e","_timestamp":9}]',
    });
  });
});
