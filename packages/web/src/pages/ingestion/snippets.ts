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
  tab: 'logs' | 'metrics' | 'traces';
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

/** The copy-ready snippets, as data (one renderer for all of them). */
export const SNIPPETS: Snippet[] = [
  {
    id: 'curl',
    tab: 'logs',
    label: 'Curl',
    text: (v) =>
      `curl -u ${v.email}:${v.passcode} -k ${v.url}/api/${v.org}/default/_json -d '[{"level":"info","job":"test","log":"test message for openobserve"}]'`,
  },
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
