import type { StreamKind } from '@o2/domain';

/** What every snippet is filled with. */
export interface SnippetValues {
  /** Scheme, host, port and base path of the API, no trailing slash. */
  url: string;
  org: string;
  email: string;
  passcode: string;
}

export interface Snippet {
  id: string;
  tab: StreamKind;
  label: string;
  text: (v: SnippetValues) => string;
}

/** `base64(email:passcode)` for Basic auth (UTF-8 safe). */
export function basicToken(v: SnippetValues): string {
  const bytes = new TextEncoder().encode(`${v.email}:${v.passcode}`);
  return btoa(String.fromCharCode(...bytes));
}

const otlpExporters = (v: SnippetValues) => `exporters:
  otlphttp/openobserve:
    endpoint: ${v.url}/api/${v.org}
    headers:
      Authorization: Basic ${basicToken(v)} # your own credentials
      stream-name: k8s_logs # your stream name
  otlphttp/openobserve_k8s_events:
    endpoint: ${v.url}/api/${v.org}
    headers:
      Authorization: Basic ${basicToken(v)} # your own credentials
      stream-name: k8s_events
`;

/** Host, port and TLS of the API URL, for shippers configured by parts (Fluent Bit). */
function parts(v: SnippetValues): { host: string; port: string; tls: boolean; path: string } {
  const url = new URL(v.url);
  const tls = url.protocol === 'https:';
  return {
    host: url.hostname,
    port: url.port !== '' ? url.port : tls ? '443' : '80',
    tls,
    path: url.pathname.replace(/\/+$/, ''),
  };
}

const fluentBit = (v: SnippetValues) => {
  const p = parts(v);
  return `[OUTPUT]
  Name http
  Match *
  URI ${p.path}/api/${v.org}/default/_json
  Host ${p.host}
  Port ${p.port}
  tls ${p.tls ? 'On' : 'Off'}
  Format json
  Json_date_key _timestamp
  Json_date_format iso8601
  HTTP_User ${v.email}
  HTTP_Passwd ${v.passcode}
  compress gzip
`;
};

const vector = (v: SnippetValues) => `[sinks.openobserve]
type = "http"
inputs = [ source or transform id ]
uri = "${v.url}/api/${v.org}/default/_json"
method = "post"
auth.strategy = "basic"
auth.user = "${v.email}"
auth.password = "${v.passcode}"
compression = "gzip"
encoding.codec = "json"
encoding.timestamp_format = "rfc3339"
healthcheck.enabled = false
`;

const filebeat = (v: SnippetValues) => {
  const p = parts(v);
  return `setup.ilm.enabled: false
setup.template.enabled: false

output.elasticsearch:
  hosts: ["${p.tls ? 'https' : 'http'}://${p.host}:${p.port}"]
  timeout: 10
  path: "${p.path}/api/${v.org}/"
  index: default
  username: "${v.email}"
  password: "${v.passcode}"
`;
};

/** The copy-ready snippets, as data (one renderer for all of them). */
export const SNIPPETS: Snippet[] = [
  {
    id: 'curl',
    tab: 'logs',
    label: 'Curl',
    text: (v) =>
      `curl -u ${v.email}:${v.passcode} -k ${v.url}/api/${v.org}/default/_json -d '[{"level":"info","job":"test","log":"test message for openobserve"}]'`,
  },
  { id: 'fluentbit', tab: 'logs', label: 'Fluent Bit', text: fluentBit },
  { id: 'vector', tab: 'logs', label: 'Vector', text: vector },
  { id: 'filebeat', tab: 'logs', label: 'Filebeat (ES bulk)', text: filebeat },
  { id: 'otel', tab: 'logs', label: 'OTEL Collector', text: otlpExporters },
  {
    id: 'prometheus',
    tab: 'metrics',
    label: 'Prometheus',
    text: (v) => `remote_write:
  - url: ${v.url}/api/${v.org}/prometheus/api/v1/write
    queue_config:
      max_samples_per_send: 10000
    basic_auth:
      username: ${v.email}
      password: ${v.passcode}
`,
  },
  { id: 'otel', tab: 'metrics', label: 'OTEL Collector', text: otlpExporters },
  { id: 'otel', tab: 'traces', label: 'OpenTelemetry', text: otlpExporters },
];
