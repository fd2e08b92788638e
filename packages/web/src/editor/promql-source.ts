import { useEffect } from 'react';
import { api } from '../api/endpoints';
import { prom } from '../api/prometheus';
import { setPromqlSource } from './promql';

export interface MetricInfo {
  name: string;
  type: string;
  help: string;
}

/** The org's metric streams with the type and help `metadata` gives them, sorted by name. */
export async function loadMetrics(org: string): Promise<MetricInfo[]> {
  const [streams, metadata] = await Promise.all([api.streams(org, 'metrics'), prom.metadata(org)]);
  return streams.list
    .map((s): MetricInfo => {
      const meta = metadata[s.name]?.[0];
      return { name: s.name, type: meta?.type ?? 'unknown', help: meta?.help ?? '' };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Feeds PromQL completion from the Prometheus API over the page's time range while the page is
 * shown: metric names (with type and help), label names of the metric being matched, its values.
 */
export function usePromqlCompletion(
  org: string,
  metrics: () => Promise<MetricInfo[]>,
  range: () => { start: number; end: number },
): void {
  useEffect(() => {
    setPromqlSource({
      metrics,
      labels: (metric) => {
        const { start, end } = range();
        return prom.labels(org, metric ?? '{__name__=~".+"}', start, end);
      },
      values: (metric, label) => {
        const { start, end } = range();
        return prom.labelValues(org, label, metric, start, end);
      },
    });
    return () => setPromqlSource(undefined);
  }, [org, metrics, range]);
}
