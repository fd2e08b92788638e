/**
 * The hostile half of the bad-input barrage: requests no client should send, built from a
 * seeded generator so a failure can be replayed. Paths are raw (sent with node:http, which
 * does not normalise `..` or `%2E%2E` the way `fetch`'s URL parser would).
 */

export interface BadRequest {
  label: string;
  method: string;
  path: string;
  body?: Uint8Array;
  headers?: Record<string, string>;
  /** The org in the path can never be valid: the answer must be exactly 400. */
  badOrg?: boolean;
}

/** mulberry32: small, fast and seedable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const json = (v: unknown): Uint8Array => text(JSON.stringify(v));

/** Org path segments no org id can be (already percent-encoded where needed). */
export const BAD_ORGS = [
  '..%2Fdefault',
  '..',
  '%2E%2E',
  '..%2F..%2Fetc',
  'Bad%20Org!',
  'a%00b',
  '%E2%9C%93',
  'caf%C3%A9',
  'x'.repeat(300),
  'a%2Fb',
  '%5C',
  'a.b',
  'a-b',
  '%FF',
  '%0A',
];

/** Stream path segments: some O2 formats into a valid name, the rest must be refused. */
export const ODD_STREAMS = [
  '..%2Fdefault',
  '%2E%2E',
  'Bad%20Stream!',
  'a%00b',
  '%E2%9C%93',
  's'.repeat(300),
  'a%2Fb',
  '%20',
  '_',
  '%FF',
];

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function deep(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object'
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function wide(fields: number): Record<string, number> {
  const record: Record<string, number> = {};
  for (let i = 0; i < fields; i++) record[`f${i}`] = i;
  return record;
}

function randomBytes(random: () => number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

function mutate(random: () => number, source: string): string {
  const at = Math.floor(random() * source.length);
  switch (Math.floor(random() * 5)) {
    case 0:
      return source.slice(0, at); // truncated
    case 1:
      return `${source.slice(0, at)}${String.fromCharCode(Math.floor(random() * 128))}${source.slice(at)}`;
    case 2:
      return `${source.slice(0, at)}${source.slice(at + 1 + Math.floor(random() * 20))}`;
    case 3:
      return `${source.slice(0, at)}{[{"${source.slice(at)}`;
    default:
      return `${source.slice(0, at)}\\u${source.slice(at)}`;
  }
}

/** The barrage: at least `count` requests over every ingest path (and the ES-compat stubs). */
export function badRequests(count: number, seed = 42): BadRequest[] {
  const random = seededRandom(seed);
  const out: BadRequest[] = [];
  const post = (label: string, path: string, body: Uint8Array, extra: Partial<BadRequest> = {}) =>
    out.push({ label, method: 'POST', path, body, ...extra });
  const sample = JSON.stringify([{ log: 'x', code: 1, kubernetes: { pod: 'p' } }]);

  for (const org of BAD_ORGS) {
    const badOrg = { badOrg: true };
    post(`org ${org} _json`, `/api/${org}/fuzz/_json`, text(sample), badOrg);
    post(`org ${org} _multi`, `/api/${org}/fuzz/_multi`, text('{"log":"x"}\n'), badOrg);
    post(
      `org ${org} _bulk`,
      `/api/${org}/_bulk`,
      text('{"index":{"_index":"s"}}\n{"log":"x"}\n'),
      badOrg,
    );
    out.push({ label: `org ${org} es info`, method: 'GET', path: `/api/${org}/`, badOrg: true });
    out.push({
      label: `org ${org} es template`,
      method: 'PUT',
      path: `/api/${org}/_index_template/t`,
      body: text('{}'),
      badOrg: true,
    });
  }
  for (const stream of ODD_STREAMS) {
    post(`stream ${stream} _json`, `/api/default/${stream}/_json`, text(sample));
    post(`stream ${stream} _multi`, `/api/default/${stream}/_multi`, text('{"log":"x"}'));
    out.push({
      label: `stream ${stream} es data stream`,
      method: 'PUT',
      path: `/api/default/_data_stream/${stream}`,
      body: text('{}'),
    });
  }
  const bulkIndexes: unknown[] = ['', '_', '/', '../x', '..', 'a'.repeat(300), 'a\u0000b', 7, null];
  for (const index of bulkIndexes) {
    post(
      `bulk _index ${JSON.stringify(index)?.slice(0, 20)}`,
      '/api/default/_bulk',
      text(`${JSON.stringify({ index: { _index: index } })}\n{"log":"x"}\n`),
    );
  }
  const bulkOddities = [
    '{"index":{"_index":"fuzz"}}\n',
    '[]\n{"log":"x"}\n',
    '{"upsert":{"_index":"fuzz"}}\n{"log":"x"}\n',
    '{"delete":{"_index":"fuzz","_id":"1"}}\n',
    '{"index":{"_index":"fuzz"}}\n[1,2]\n',
    '{"index":{"_index":"fuzz"}}\n"text"\n',
    '{}\n{}\n',
    '\n\n\n',
  ];
  bulkOddities.forEach((b, i) => post(`bulk oddity ${i}`, '/api/default/_bulk', text(b)));

  const bodies: Array<[string, () => Uint8Array]> = [
    ['100k-char key', () => json([{ ['k'.repeat(100_000)]: 1, log: 'x' }])],
    ['5,000-field record', () => json([wide(5000)])],
    ['depth 10,000 object', () => text(`[{"log":"deep","n":${deep(10_000, 'object')}}]`)],
    ['depth 10,000 array', () => text(`[{"log":"deep","n":${deep(10_000, 'array')}}]`)],
    ['depth 5,000 bare', () => text(deep(5_000, 'object'))],
    ['2 MB value', () => json([{ log: 'v'.repeat(2 * 1024 * 1024) }])],
    [
      'invalid UTF-8',
      () => new Uint8Array([...text('[{"log":"'), 0xff, 0xfe, 0xc3, ...text('"}]')]),
    ],
    ['invalid UTF-8 key', () => new Uint8Array([...text('[{"'), 0xc0, 0xaf, ...text('":1}]')])],
    ['not objects', () => text('[1,"a",null,[],true]')],
    ['null', () => text('null')],
    ['string', () => text('"x"')],
    ['empty', () => new Uint8Array()],
    ['huge numbers', () => text('[{"n":1e400,"m":-0,"big":123456789012345678901234567890}]')],
    [
      'bad timestamps',
      () => json([{ _timestamp: 'yesterday' }, { _timestamp: -1 }, { _timestamp: 9e18 }]),
    ],
    ['colliding keys', () => text('[{"a.b":1,"a_b":"x","A-B":{"c":1},"":2,"@timestamp":{"x":1}}]')],
  ];
  const endpoints = (stream: string) => [
    `/api/default/${stream}/_json`,
    `/api/default/${stream}/_multi`,
  ];
  for (const [label, body] of bodies) {
    for (const path of endpoints('fuzz')) post(`${label} ${path}`, path, body());
    const action = text('{"index":{"_index":"fuzz"}}\n');
    post(`${label} _bulk`, '/api/default/_bulk', concat(action, body(), text('\n')));
  }
  // Type flips: one field a number, then an object, then a string, then an array, then a bool.
  for (const value of [1, { a: 1 }, 'text', [1, 2], true, 2.5, { a: { b: 'c' } }]) {
    post(`type flip ${JSON.stringify(value)}`, '/api/default/flip/_json', json([{ flip: value }]));
  }
  post('gzip that is not', '/api/default/fuzz/_json', text(sample), {
    headers: { 'content-encoding': 'gzip' },
  });
  post('unknown encoding', '/api/default/fuzz/_json', text(sample), {
    headers: { 'content-encoding': 'x-unknown' },
  });

  const paths = ['/api/default/fuzz/_json', '/api/default/fuzz/_multi', '/api/default/_bulk'];
  const bulkSample = `{"index":{"_index":"fuzz"}}\n{"log":"x","n":{"a":[1,2]}}\n`;
  while (out.length < count) {
    const path = paths[Math.floor(random() * paths.length)] as string;
    const source = path.endsWith('_bulk') ? bulkSample : sample;
    const body =
      random() < 0.4
        ? randomBytes(random, 1 + Math.floor(random() * 4096))
        : text(mutate(random, source));
    post(`random ${out.length} ${path}`, path, body);
  }
  return out;
}
