import { execFile } from 'node:child_process';
import { promtoolBinary } from './test-tools.js';

export interface PromtoolQueryOptions {
  /**
   * The API base, as for Grafana: `http://127.0.0.1:9090` or
   * `http://127.0.0.1:5080/api/<org>/prometheus`.
   */
  server: string;
  expr: string;
  /** Instant query time (unix seconds or RFC 3339); default now. Ignored for a range query. */
  time?: number | string;
  /** Makes it a `query range`. `step` is a duration, e.g. `15s`. */
  range?: { start: number | string; end: number | string; step: string };
  /**
   * promtool 2.42 has no auth flags for `query instant`; the credentials go in the server URL,
   * which Go's HTTP client turns into a Basic Authorization header.
   */
  basicAuth?: { username: string; password: string };
  /** Default 30 s. */
  timeoutMs?: number;
}

export interface PromtoolResult {
  /** promtool's exit code (0 on success). */
  code: number;
  stdout: string;
  stderr: string;
}

function serverUrl(server: string, basicAuth: PromtoolQueryOptions['basicAuth']): string {
  if (basicAuth === undefined) return server;
  const url = new URL(server);
  url.username = basicAuth.username;
  url.password = basicAuth.password;
  return url.toString().replace(/\/$/, '');
}

/** The `promtool query instant|range -o json` command line for `options`. */
export function promtoolQueryArgs(options: PromtoolQueryOptions): string[] {
  const server = serverUrl(options.server, options.basicAuth);
  if (options.range !== undefined) {
    const { start, end, step } = options.range;
    return [
      'query',
      'range',
      '-o',
      'json',
      `--start=${start}`,
      `--end=${end}`,
      `--step=${step}`,
      server,
      options.expr,
    ];
  }
  const time = options.time === undefined ? [] : [`--time=${options.time}`];
  return ['query', 'instant', '-o', 'json', ...time, server, options.expr];
}

/**
 * Runs Debian's real `promtool query instant|range` (JSON output) against a Prometheus-compatible
 * API, as an operator would point it at O2TS. Never rejects on a failed query: the exit code and
 * both streams are returned for the test to assert on.
 */
export function runPromtoolQuery(options: PromtoolQueryOptions): Promise<PromtoolResult> {
  const binary = promtoolBinary();
  const args = promtoolQueryArgs(options);
  return new Promise((resolve) => {
    execFile(
      binary,
      args,
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
