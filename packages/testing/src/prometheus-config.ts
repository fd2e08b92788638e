/** A static scrape job: Prometheus scrapes every `host:port` in `targets`. */
export interface ScrapeTarget {
  job: string;
  /** `host:port`, e.g. a sample exporter's `target`. */
  targets: string[];
  /** Default `/metrics`. */
  metricsPath?: string;
  /** Default: the global interval. */
  scrapeInterval?: string;
  /** Added to every series of these targets. */
  labels?: Record<string, string>;
}

/** One `remote_write` entry. */
export interface RemoteWriteTarget {
  /** e.g. `http://127.0.0.1:5080/api/default/prometheus/api/v1/write`. */
  url: string;
  /**
   * Sent with every request. Prometheus refuses to let a config set `Authorization` here (a
   * reserved header): use `basicAuth` for that.
   */
  headers?: Record<string, string>;
  basicAuth?: { username: string; password: string };
  /** Send native histograms (needs the `native-histograms` feature on the sender). */
  sendNativeHistograms?: boolean;
  sendExemplars?: boolean;
  /** Raw `remote_write` keys merged last, for anything not modelled here. */
  extra?: Record<string, unknown>;
}

export interface PrometheusConfigOptions {
  /** Static scrape jobs (the simple case). */
  scrapeTargets?: ScrapeTarget[];
  /** Raw `scrape_configs` entries, used as they are (after `scrapeTargets`). */
  scrapeConfigs?: Record<string, unknown>[];
  /** Add a `prometheus` job scraping this server itself (default true). */
  scrapeSelf?: boolean;
  /** Global scrape interval (default `1s`, so tests see samples quickly). */
  scrapeInterval?: string;
  /** Global evaluation interval (default `1s`). */
  evaluationInterval?: string;
  externalLabels?: Record<string, string>;
  remoteWrite?: RemoteWriteTarget | RemoteWriteTarget[];
  /** Raw top-level keys merged last (e.g. `rule_files`). */
  extra?: Record<string, unknown>;
}

function remoteWriteEntry(target: RemoteWriteTarget): Record<string, unknown> {
  return {
    url: target.url,
    ...(target.headers !== undefined && { headers: target.headers }),
    ...(target.basicAuth !== undefined && {
      basic_auth: { username: target.basicAuth.username, password: target.basicAuth.password },
    }),
    ...(target.sendNativeHistograms !== undefined && {
      send_native_histograms: target.sendNativeHistograms,
    }),
    ...(target.sendExemplars !== undefined && { send_exemplars: target.sendExemplars }),
    // Defaults send a batch every 5 s and metadata every minute; tests want seconds.
    queue_config: { batch_send_deadline: '1s', min_backoff: '100ms', max_backoff: '1s' },
    metadata_config: { send: true, send_interval: '2s' },
    ...target.extra,
  };
}

/**
 * The Prometheus configuration for `options`, as JSON — which is YAML, so Prometheus reads it as
 * it is and the harness needs no YAML writer.
 */
export function prometheusConfig(options: PrometheusConfigOptions, selfTarget: string): string {
  const scrapeConfigs: Record<string, unknown>[] = [];
  if (options.scrapeSelf ?? true) {
    scrapeConfigs.push({ job_name: 'prometheus', static_configs: [{ targets: [selfTarget] }] });
  }
  for (const job of options.scrapeTargets ?? []) {
    scrapeConfigs.push({
      job_name: job.job,
      ...(job.metricsPath !== undefined && { metrics_path: job.metricsPath }),
      ...(job.scrapeInterval !== undefined && { scrape_interval: job.scrapeInterval }),
      static_configs: [{ targets: job.targets, ...(job.labels && { labels: job.labels }) }],
    });
  }
  scrapeConfigs.push(...(options.scrapeConfigs ?? []));
  const remoteWrite =
    options.remoteWrite === undefined
      ? []
      : Array.isArray(options.remoteWrite)
        ? options.remoteWrite
        : [options.remoteWrite];
  const config = {
    global: {
      scrape_interval: options.scrapeInterval ?? '1s',
      evaluation_interval: options.evaluationInterval ?? '1s',
      ...(options.externalLabels !== undefined && { external_labels: options.externalLabels }),
    },
    scrape_configs: scrapeConfigs,
    ...(remoteWrite.length > 0 && { remote_write: remoteWrite.map(remoteWriteEntry) }),
    ...options.extra,
  };
  return JSON.stringify(config, null, 2);
}
