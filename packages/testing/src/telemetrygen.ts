import { execFile } from 'node:child_process';
import { telemetrygenBinary } from './test-tools.js';

/** telemetrygen's subcommands (its own vocabulary, not our stream types) and their count flags. */
const COUNT_FLAG = { logs: '--logs', metrics: '--metrics', traces: '--traces' } as const;

export type TelemetrySignal = keyof typeof COUNT_FLAG;

export interface TelemetrygenOptions {
  signal: TelemetrySignal;
  /** `host:port` of an OTLP receiver (no scheme), e.g. `127.0.0.1:4317`. */
  endpoint: string;
  /** OTLP over gRPC (default) or over HTTP (protobuf bodies). */
  protocol?: 'grpc' | 'http';
  /** HTTP only: the request path, e.g. `/api/default/v1/logs` (telemetrygen's default: `/v1/<signal>`). */
  urlPath?: string;
  /** Sent on every request (HTTP headers or gRPC metadata), e.g. `{ 'stream-name': 'k8s_logs' }`. */
  headers?: Record<string, string>;
  /** How many logs, metrics or traces each worker sends (default 10). */
  count?: number;
  /** Per worker and second; 0 (the default here) sends as fast as possible. */
  rate?: number;
  workers?: number;
  /** `service.name` of the resource (telemetrygen's default: `telemetrygen`). */
  service?: string;
  /** Metrics only: `Gauge` (telemetrygen's default), `Sum`, `Histogram`, `ExponentialHistogram`. */
  metricType?: 'Gauge' | 'Sum' | 'Histogram' | 'ExponentialHistogram';
  /** Metrics only: the metric name (telemetrygen's default: `gen`). */
  metricName?: string;
  /** String resource attributes. */
  resourceAttributes?: Record<string, string>;
  /** String attributes on every span, data point or log record. */
  telemetryAttributes?: Record<string, string>;
  /** Any further telemetrygen flags, appended last. */
  extraArgs?: string[];
  /** Kill telemetrygen after this long (default 30 s). */
  timeoutMs?: number;
}

export interface TelemetrygenResult {
  /** telemetrygen logs to stderr; both streams are here for assertions and failure messages. */
  output: string;
}

/** telemetrygen's map flags take `key="value"`, with the quotes, for strings. */
function mapFlag(flag: string, entries: Record<string, string> | undefined): string[] {
  return Object.entries(entries ?? {}).flatMap(([key, value]) => [
    flag,
    `${key}=${JSON.stringify(value)}`,
  ]);
}

/** The telemetrygen command line for `options` (exposed for failure messages and tests). */
export function telemetrygenArgs(options: TelemetrygenOptions): string[] {
  const { signal } = options;
  const args = [
    signal,
    '--otlp-endpoint',
    options.endpoint,
    '--otlp-insecure',
    COUNT_FLAG[signal],
    String(options.count ?? 10),
    '--rate',
    String(options.rate ?? 0),
    '--workers',
    String(options.workers ?? 1),
  ];
  if (options.protocol === 'http') args.push('--otlp-http');
  if (options.urlPath !== undefined) args.push('--otlp-http-url-path', options.urlPath);
  if (options.service !== undefined) args.push('--service', options.service);
  if (options.metricType !== undefined) args.push('--metric-type', options.metricType);
  if (options.metricName !== undefined) args.push('--otlp-metric-name', options.metricName);
  args.push(...mapFlag('--otlp-header', options.headers));
  args.push(...mapFlag('--otlp-attributes', options.resourceAttributes));
  args.push(...mapFlag('--telemetry-attributes', options.telemetryAttributes));
  args.push(...(options.extraArgs ?? []));
  return args;
}

/**
 * Runs the real telemetrygen once and resolves when it has sent everything. Rejects, with its
 * output, when it exits non-zero (e.g. the receiver refused the export) or times out.
 */
export function runTelemetrygen(options: TelemetrygenOptions): Promise<TelemetrygenResult> {
  const binary = telemetrygenBinary();
  const args = telemetrygenArgs(options);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (error === null) {
          resolve({ output });
          return;
        }
        reject(
          new Error(
            `telemetrygen ${args.join(' ')} failed (${error.message.split('\n')[0] ?? ''}); output:\n${output.slice(-8_000)}`,
          ),
        );
      },
    );
  });
}
