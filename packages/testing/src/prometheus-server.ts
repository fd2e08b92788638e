import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { freePort, retryOnPortClash } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { PrometheusApiClient } from './prometheus-api-client.js';
import { prometheusConfig } from './prometheus-config.js';
import type { PrometheusConfigOptions } from './prometheus-config.js';
import { makeTempDir } from './temp-dir.js';
import { prometheusBinary, promtoolBinary } from './test-tools.js';

const run = promisify(execFile);

export interface PrometheusOptions extends PrometheusConfigOptions {
  /** `--web.enable-remote-write-receiver`: accept remote write on `/api/v1/write`. */
  enableRemoteWriteReceiver?: boolean;
  /** `--enable-feature=…`, e.g. `native-histograms`. */
  features?: string[];
  /** Any further flags, e.g. `--query.lookback-delta=1m`. */
  extraArgs?: string[];
  /**
   * OpenMetrics text (see `openMetricsText`) loaded into the TSDB with `promtool tsdb
   * create-blocks-from openmetrics` before Prometheus starts: fixed samples at past timestamps
   * for oracle tests and benches. Keep them within the retention (`extraArgs` can raise it).
   */
  backfill?: string;
  /** As `backfill`, from a file already written (for data too large for one JS string). */
  backfillFile?: string;
  /** Milliseconds to wait for `/-/ready` (default 30 s). */
  readyTimeoutMs?: number;
}

export interface WaitOptions {
  /** Default 30 s. */
  timeoutMs?: number;
}

export interface PrometheusHandle {
  /** `http://127.0.0.1:<port>`: the base URL of the HTTP API and the UI. */
  url: string;
  port: number;
  /** `127.0.0.1:<port>`, for another Prometheus to scrape. */
  target: string;
  /** `http://127.0.0.1:<port>/api/v1/write`; answers only with `enableRemoteWriteReceiver`. */
  remoteWriteUrl: string;
  /** The TSDB directory; removed by `stop()`. */
  dataDir: string;
  /** The configuration it runs with (JSON, which Prometheus reads as YAML). */
  config: string;
  api: PrometheusApiClient;
  /** Prometheus's log so far (first and last few KB). */
  output(): string;
  /** Resolves once at least `count` scrape targets report `up`. */
  waitForTargetsUp(count: number, options?: WaitOptions): Promise<void>;
  /** Resolves once the instant query `selector` returns at least `count` series. */
  waitForSeries(selector: string, count: number, options?: WaitOptions): Promise<void>;
  /** Resolves once the series matching `selector` hold at least `count` samples in all. */
  waitForSamples(selector: string, count: number, options?: WaitOptions): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s, then removes `dataDir`. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's real `prometheus` (the pinned 2.42) on a random loopback port with its own TSDB
 * directory and resolves once `/-/ready` answers 200. It scrapes itself (unless `scrapeSelf:
 * false`) and whatever `scrapeTargets` / `scrapeConfigs` say, every second by default, and
 * remote-writes where `remoteWrite` says. The admin API and lifecycle endpoints are on.
 */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusHandle> {
  const binary = prometheusBinary();
  return retryOnPortClash(() => startOnce(binary, options));
}

async function startOnce(binary: string, options: PrometheusOptions): Promise<PrometheusHandle> {
  const dir = await makeTempDir('prometheus');
  const port = await freePort();
  const target = `127.0.0.1:${port}`;
  const url = `http://${target}`;
  const config = prometheusConfig(options, target);
  const configFile = join(dir.path, 'prometheus.yml');
  await writeFile(configFile, config);
  const dataDir = join(dir.path, 'data');
  try {
    if (options.backfill !== undefined) {
      const input = join(dir.path, 'backfill.om');
      await writeFile(input, options.backfill);
      await backfill(input, dataDir);
    }
    if (options.backfillFile !== undefined) await backfill(options.backfillFile, dataDir);
  } catch (error) {
    await dir.remove();
    throw error;
  }
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=${target}`,
    '--web.enable-admin-api',
    '--web.enable-lifecycle',
    ...(options.enableRemoteWriteReceiver === true ? ['--web.enable-remote-write-receiver'] : []),
    ...(options.features ?? []).map((feature) => `--enable-feature=${feature}`),
    ...(options.extraArgs ?? []),
  ];
  const prometheus = new ManagedProcess({ name: 'prometheus', binary, args });
  let removed: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (removed ??= (async () => {
      await prometheus.stop();
      await dir.remove();
    })());
  try {
    await prometheus.waitUntil(
      '/-/ready answered 200',
      () => isReady(url),
      options.readyTimeoutMs ?? 30_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const api = new PrometheusApiClient(url);
  const waitUntil = (what: string, check: () => Promise<boolean>, wait?: WaitOptions) =>
    prometheus.waitUntil(what, check, wait?.timeoutMs ?? 30_000);
  return {
    url,
    port,
    target,
    remoteWriteUrl: `${url}/api/v1/write`,
    dataDir,
    config,
    api,
    output: () => prometheus.output(),
    stop,
    waitForTargetsUp: (count, wait) =>
      waitUntil(`${count} targets were up`, async () => (await targetsUp(api)) >= count, wait),
    waitForSeries: (selector, count, wait) =>
      waitUntil(
        `${selector} had ${count} series`,
        async () => (await scalarOf(api, `count(${selector})`)) >= count,
        wait,
      ),
    waitForSamples: (selector, count, wait) =>
      waitUntil(
        `${selector} had ${count} samples`,
        async () => (await scalarOf(api, `sum(count_over_time(${selector}[1d]))`)) >= count,
        wait,
      ),
  };
}

async function backfill(input: string, dataDir: string): Promise<void> {
  const args = ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir];
  try {
    await run(promtoolBinary(), args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed: ${stderr ?? String(error)}`);
  }
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function targetsUp(api: PrometheusApiClient): Promise<number> {
  const response = await api.request<{ activeTargets: { health: string }[] }>('targets', {
    state: 'active',
  });
  if (response.status !== 'success') return 0;
  return response.data.activeTargets.filter((t) => t.health === 'up').length;
}

/** The single value of a one-element vector query, 0 when empty or failing. */
async function scalarOf(api: PrometheusApiClient, expr: string): Promise<number> {
  const response = await api.query(expr);
  if (response.status !== 'success' || response.data.resultType !== 'vector') return 0;
  const value = response.data.result[0]?.value?.[1];
  return value === undefined ? 0 : Number(value);
}
