import type { Panel } from '@o2/dashboards';
import { api } from '../api/endpoints';
import { prom } from '../api/prometheus';
import { promSeries, sqlSeries } from './series';
import type { ChartData } from './series';
import { queryText } from './panel-factory';
import { substituteVariables } from './variables';
import type { VariableValue } from './variables';

export interface PanelRun {
  org: string;
  startUs: number;
  endUs: number;
  variables: ReadonlyMap<string, VariableValue>;
  placeholder: string;
  signal?: AbortSignal;
}

/** The queries a panel sends once variables are substituted (the query inspector shows these). */
export function finalQueries(
  panel: Panel,
  run: Pick<PanelRun, 'variables' | 'placeholder'>,
): string[] {
  const language = panel.queryType === 'promql' ? 'promql' : 'sql';
  return panel.queries
    .map((q) => queryText(q, panel.queryType))
    .map((text) => substituteVariables(text, run.variables, language, run.placeholder));
}

/** Runs every query of a panel (PromQL `query_range` or SQL `_search`) and merges the series. */
export async function runPanel(panel: Panel, run: PanelRun): Promise<ChartData> {
  const texts = finalQueries(panel, run);
  const parts = await Promise.all(
    panel.queries.map(async (query, i) => {
      const text = texts[i] ?? '';
      if (text.trim() === '') return { series: [], timeAxis: true, rows: [] };
      if (panel.queryType === 'promql') {
        const data = await prom.queryRange(run.org, text, run.startUs, run.endUs, run.signal);
        const result =
          data.resultType === 'matrix' || data.resultType === 'vector' ? data.result : [];
        return promSeries(result, query.config.promql_legend);
      }
      const answer = await api.search(
        run.org,
        { sql: text, start_time: run.startUs, end_time: run.endUs, from: 0, size: 1000 },
        run.signal,
        query.fields.stream_type === '' ? 'logs' : query.fields.stream_type,
      );
      const rows = answer.hits;
      const x = query.customQuery ? Object.keys(rows[0] ?? {})[0] : query.fields.x[0]?.alias;
      const ys = query.customQuery
        ? Object.keys(rows[0] ?? {}).slice(1)
        : query.fields.y.map((y) => y.alias);
      return sqlSeries(
        rows,
        x,
        ys,
        query.customQuery ? undefined : query.fields.breakdown?.[0]?.alias,
      );
    }),
  );
  return {
    series: parts.flatMap((p) => p.series),
    timeAxis: parts.every((p) => p.timeAxis),
    rows: parts.flatMap((p) => p.rows),
  };
}
