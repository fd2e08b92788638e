import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, retryOnPortClash } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { makeTempDir } from './temp-dir.js';
import { otelCollectorBinary } from './test-tools.js';

export interface OtelCollectorHandle {
  /** `127.0.0.1:<port>` for the config's `${env:O2TS_OTLP_GRPC_ENDPOINT}` (gRPC clients, telemetrygen). */
  grpcEndpoint: string;
  /** `127.0.0.1:<port>` for the config's `${env:O2TS_OTLP_HTTP_ENDPOINT}`. */
  httpEndpoint: string;
  /** The collector's log so far (first and last few KB), for assertions and failure messages. */
  output(): string;
  /** SIGTERM (the collector flushes its batches and queues), SIGKILL after 5 s; removes the config. */
  stop(): Promise<void>;
}

export interface OtelCollectorOptions {
  /** Extra environment for `${env:NAME}` references in the config. */
  env?: Record<string, string>;
  /** Milliseconds to wait for "Everything is ready" (default 30 s). */
  readyTimeoutMs?: number;
}

/** Names a config uses for the receiver endpoints the harness picked: `${env:O2TS_OTLP_GRPC_ENDPOINT}`. */
export const OTLP_GRPC_ENDPOINT_ENV = 'O2TS_OTLP_GRPC_ENDPOINT';
export const OTLP_HTTP_ENDPOINT_ENV = 'O2TS_OTLP_HTTP_ENDPOINT';

const READY_LINE = 'Everything is ready';
/**
 * Starts the real OpenTelemetry Collector (built from scripts/otelcol/builder-config.yaml: otlp
 * receiver, batch processor, otlphttp/otlp/debug exporters) with `yamlConfig`, and resolves once it
 * logs that it is ready and its receivers accept connections.
 *
 * The harness picks two free loopback ports and passes them as `O2TS_OTLP_GRPC_ENDPOINT` and
 * `O2TS_OTLP_HTTP_ENDPOINT`, so a config receives with
 * `endpoint: ${env:O2TS_OTLP_GRPC_ENDPOINT}`. The collector's own metrics endpoint (a fixed
 * port, 8888) is switched off so several collectors can run side by side.
 */
export async function startOtelCollector(
  yamlConfig: string,
  options: OtelCollectorOptions = {},
): Promise<OtelCollectorHandle> {
  const binary = otelCollectorBinary();
  return retryOnPortClash(() => startOnce(binary, yamlConfig, options));
}

async function startOnce(
  binary: string,
  yamlConfig: string,
  options: OtelCollectorOptions,
): Promise<OtelCollectorHandle> {
  const dir = await makeTempDir('otelcol');
  const configFile = join(dir.path, 'config.yaml');
  await writeFile(configFile, yamlConfig);
  const grpcEndpoint = `127.0.0.1:${await freePort()}`;
  let httpEndpoint = `127.0.0.1:${await freePort()}`;
  while (httpEndpoint === grpcEndpoint) httpEndpoint = `127.0.0.1:${await freePort()}`;
  const collector = new ManagedProcess({
    name: 'otelcol',
    binary,
    args: ['--config', configFile, '--set=service.telemetry.metrics.level=none'],
    env: {
      ...process.env,
      ...options.env,
      [OTLP_GRPC_ENDPOINT_ENV]: grpcEndpoint,
      [OTLP_HTTP_ENDPOINT_ENV]: httpEndpoint,
    },
  });
  const stop = async (): Promise<void> => {
    await collector.stop();
    await dir.remove();
  };
  try {
    await collector.waitUntil(
      'it was ready',
      () => collector.output().includes(READY_LINE),
      options.readyTimeoutMs ?? 30_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { grpcEndpoint, httpEndpoint, output: () => collector.output(), stop };
}
