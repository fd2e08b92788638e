import { BAD_ORGS, seededRandom } from './bad-input-cases.js';
import type { BadRequest } from './bad-input-cases.js';

/**
 * The OTLP and metrics `_json` half of the bad-input barrage: malformed, truncated, random,
 * absurdly nested and wrongly typed bodies on `/v1/logs|metrics|traces` in both encodings, odd
 * `stream-name` headers, bad orgs. Seeded, so a failure can be replayed.
 */
export function badOtlpRequests(seed = 7): BadRequest[] {
  const random = seededRandom(seed);
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const out: BadRequest[] = [];
  const json = { 'content-type': 'application/json' };
  const protobuf = { 'content-type': 'application/x-protobuf' };
  const now = `${Date.now()}000000`;
  const samples: Record<string, string> = {
    logs: `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"${now}","body":{"stringValue":"x"}}]}]}]}`,
    metrics: `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"fuzz.m","sum":{"dataPoints":[{"asInt":"1","timeUnixNano":"${now}"}],"isMonotonic":true}}]}]}]}`,
    traces: `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"${now}","endTimeUnixNano":"${now}"}]}]}]}`,
  };
  const post = (label: string, path: string, body: Uint8Array, headers: Record<string, string>) =>
    out.push({ label, method: 'POST', path, body, headers });

  for (const org of BAD_ORGS) {
    out.push({
      label: `otlp org ${org}`,
      method: 'POST',
      path: `/api/${org}/v1/logs`,
      body: text(samples['logs'] ?? ''),
      headers: json,
      badOrg: true,
    });
    out.push({
      label: `metrics _json org ${org}`,
      method: 'POST',
      path: `/api/${org}/ingest/metrics/_json`,
      body: text('[{"__name__":"m","value":1}]'),
      headers: json,
      badOrg: true,
    });
  }
  for (const [signal, sample] of Object.entries(samples)) {
    const path = `/api/default/v1/${signal}`;
    const shapes = [
      '',
      'null',
      '[]',
      '"x"',
      `{"resource${signal}":3}`,
      sample.replaceAll('"1"', '"one"').replaceAll(now, 'yesterday'),
      sample.replaceAll('5b8efff798038103d269b633813fc60c', 'zz'),
      `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(3_000)}{}${'}]}}'.repeat(3_000)}}]}]}]}`,
    ];
    for (const [i, shape] of shapes.entries())
      post(`otlp ${signal} shape ${i}`, path, text(shape), json);
    for (const shape of shapes.slice(0, 4))
      post(`otlp ${signal} pb text`, path, text(shape), protobuf);
    post(`otlp ${signal} no content type`, path, text(sample), {});
    post(`otlp ${signal} xml`, path, text(sample), { 'content-type': 'text/xml' });
    for (const stream of ['../default', 'Bad Stream!', 's'.repeat(300), '_', '..', '%2F']) {
      const headers = { ...json, 'stream-name': stream };
      post(`otlp ${signal} stream ${stream.slice(0, 10)}`, path, text(sample), headers);
    }
    for (let i = 0; i < 12; i++) {
      const bytes = new Uint8Array(1 + Math.floor(random() * 2048));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      post(`otlp ${signal} random pb ${i}`, path, bytes, protobuf);
      const at = Math.floor(random() * sample.length);
      const cut = `${sample.slice(0, at)}${sample.slice(at + 1 + Math.floor(random() * 9))}`;
      post(`otlp ${signal} mutated ${i}`, path, text(cut), json);
    }
  }
  const metricSamples = [
    '[{"value":1}]',
    '[{"__name__":"","value":1}]',
    '[{"__name__":"m","__type__":"nope","value":1}]',
    '[{"__name__":"m","value":"abc"}]',
    '[{"__name__":"m","value":1,"_timestamp":"soon"}]',
    '[{"__name__":{"a":1},"value":1}]',
    '[{"__name__":"m","value":1e400}]',
    '[1,2,3]',
    '{"__name__":"single","value":2}',
    '[{"__name__":"../etc","value":1}]',
    'not json',
  ];
  for (const [i, body] of metricSamples.entries())
    post(`metrics _json ${i}`, '/api/default/ingest/metrics/_json', text(body), json);
  return out;
}
