import type { PromEnvelope, PromMetadata, PromQueryResult } from '@o2/api-schemas';
import { request } from './client';

const seg = (value: string): string => encodeURIComponent(value);
const base = (org: string) => `/api/${seg(org)}/prometheus/api/v1`;
const seconds = (us: number) => (us / 1e6).toFixed(3);

/** A range's step: about 250 points, never under a second (Prometheus caps at 11,000). */
export function stepFor(startUs: number, endUs: number): number {
  return Math.max(1, Math.ceil((endUs - startUs) / 1e6 / 250));
}

/** The Prometheus API calls the metrics page and PromQL panels make; times in µs. */
export const prom = {
  queryRange: async (
    org: string,
    query: string,
    startUs: number,
    endUs: number,
    signal?: AbortSignal,
  ) => {
    const params = new URLSearchParams({
      query,
      start: seconds(startUs),
      end: seconds(endUs),
      step: String(stepFor(startUs, endUs)),
    });
    const body = await request<PromEnvelope<PromQueryResult>>(
      'GET',
      `${base(org)}/query_range?${params.toString()}`,
      undefined,
      signal,
    );
    return body.data;
  },
  labels: async (org: string, match: string, startUs: number, endUs: number) => {
    const params = new URLSearchParams({
      'match[]': match,
      start: seconds(startUs),
      end: seconds(endUs),
    });
    return (
      await request<PromEnvelope<string[]>>('GET', `${base(org)}/labels?${params.toString()}`)
    ).data;
  },
  labelValues: async (
    org: string,
    label: string,
    match: string | undefined,
    startUs: number,
    endUs: number,
  ) => {
    const params = new URLSearchParams({ start: seconds(startUs), end: seconds(endUs) });
    if (match !== undefined) params.set('match[]', match);
    const path = `${base(org)}/label/${seg(label)}/values?${params.toString()}`;
    return (await request<PromEnvelope<string[]>>('GET', path)).data;
  },
  metadata: async (org: string) =>
    (await request<PromEnvelope<PromMetadata>>('GET', `${base(org)}/metadata`)).data,
};
