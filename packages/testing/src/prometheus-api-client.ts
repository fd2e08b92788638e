/** `[unix seconds, "value"]`, as the Prometheus HTTP API writes a float sample. */
export type PromValue = [number, string];

/** A native histogram as the Prometheus HTTP API writes it. */
export interface PromHistogram {
  count: string;
  sum: string;
  /** `[boundary rule, lower, upper, count]`. */
  buckets?: [number, string, string, string][];
}

export interface PromInstantSample {
  metric: Record<string, string>;
  value?: PromValue;
  histogram?: [number, PromHistogram];
}

export interface PromRangeSeries {
  metric: Record<string, string>;
  values?: PromValue[];
  histograms?: [number, PromHistogram][];
}

export type PromQueryData =
  | { resultType: 'vector'; result: PromInstantSample[] }
  | { resultType: 'matrix'; result: PromRangeSeries[] }
  | { resultType: 'scalar'; result: PromValue }
  | { resultType: 'string'; result: PromValue };

/** A Prometheus API answer with the HTTP status it came with. */
export type PromApiResponse<T> =
  | { status: 'success'; data: T; warnings?: string[]; httpStatus: number }
  | { status: 'error'; errorType: string; error: string; httpStatus: number };

/** Unix seconds (fractions allowed), a Date, or an RFC 3339 string, as the API accepts. */
export type PromTime = number | Date | string;

export interface PrometheusApiClientOptions {
  /** Sent with every request, e.g. `{ authorization: 'Basic …' }` for O2TS. */
  headers?: Record<string, string>;
  /** GET with a query string (default) or POST with a form body; Grafana uses both. */
  method?: 'GET' | 'POST';
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

type Params = Record<string, string | string[] | undefined>;

function timeParam(time: PromTime | undefined): string | undefined {
  if (time === undefined) return undefined;
  if (time instanceof Date) return String(time.getTime() / 1000);
  return String(time);
}

/**
 * A small client for the Prometheus HTTP API, for tests that ask the same question of a real
 * Prometheus and of O2TS. `baseUrl` is what Grafana's Prometheus datasource is given:
 * `http://127.0.0.1:9090` for Prometheus, `http://host:5080/api/<org>/prometheus` for O2TS.
 */
export class PrometheusApiClient {
  readonly #baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly options: PrometheusApiClientOptions = {},
  ) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** Any `/api/v1/<path>` endpoint; errors come back as values, not exceptions. */
  async request<T>(
    path: string,
    params: Params = {},
    method = this.options.method ?? 'GET',
  ): Promise<PromApiResponse<T>> {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        form.append(key, one);
      }
    }
    let url = `${this.#baseUrl}/api/v1/${path}`;
    const init: RequestInit = {
      method,
      headers: { ...this.options.headers },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    };
    if (method === 'GET') {
      const query = form.toString();
      if (query !== '') url += `?${query}`;
    } else {
      init.body = form;
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(
        `${method} ${url} answered ${response.status} with a non-JSON body: ${text.slice(0, 500)}`,
      );
    }
    return { ...(body as object), httpStatus: response.status } as PromApiResponse<T>;
  }

  query(
    expr: string,
    time?: PromTime,
    extra: Params = {},
  ): Promise<PromApiResponse<PromQueryData>> {
    return this.request('query', { query: expr, time: timeParam(time), ...extra });
  }

  queryRange(
    expr: string,
    range: { start: PromTime; end: PromTime; step: number | string },
    extra: Params = {},
  ): Promise<PromApiResponse<PromQueryData>> {
    return this.request('query_range', {
      query: expr,
      start: timeParam(range.start),
      end: timeParam(range.end),
      step: String(range.step),
      ...extra,
    });
  }

  series(
    match: string[],
    range: { start?: PromTime; end?: PromTime } = {},
  ): Promise<PromApiResponse<Record<string, string>[]>> {
    return this.request('series', {
      'match[]': match,
      start: timeParam(range.start),
      end: timeParam(range.end),
    });
  }

  labels(match: string[] = []): Promise<PromApiResponse<string[]>> {
    return this.request('labels', { 'match[]': match });
  }

  labelValues(name: string, match: string[] = []): Promise<PromApiResponse<string[]>> {
    return this.request(`label/${encodeURIComponent(name)}/values`, { 'match[]': match });
  }

  metadata(
    metric?: string,
  ): Promise<PromApiResponse<Record<string, { type: string; help: string; unit: string }[]>>> {
    return this.request('metadata', { metric });
  }

  /** `query` that throws (with Prometheus's error) unless the answer is a success. */
  async instant(expr: string, time?: PromTime): Promise<PromQueryData> {
    return successData(expr, await this.query(expr, time));
  }

  /** `queryRange` that throws (with Prometheus's error) unless the answer is a success. */
  async range(
    expr: string,
    range: { start: PromTime; end: PromTime; step: number | string },
  ): Promise<PromQueryData> {
    return successData(expr, await this.queryRange(expr, range));
  }
}

function successData<T>(expr: string, response: PromApiResponse<T>): T {
  if (response.status === 'success') return response.data;
  throw new Error(
    `query ${expr} failed (${response.httpStatus} ${response.errorType}): ${response.error}`,
  );
}
