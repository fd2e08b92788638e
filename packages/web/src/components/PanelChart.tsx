import { useEffect, useMemo, useRef } from 'react';
import { chartOption } from '../panels/chart-option';
import type { ChartData } from '../panels/series';
import { cellText } from '../panels/cell-text';
import { formatUnit } from '../panels/units';

/** ECharts' default palette, so the HTML legend's swatches match the drawn series. */
const PALETTE = [
  '#5470c6',
  '#91cc75',
  '#fac858',
  '#ee6666',
  '#73c0de',
  '#3ba272',
  '#fc8452',
  '#9a60b4',
  '#ea7ccc',
];

export interface PanelLook {
  type: string;
  unit?: string | null | undefined;
  unitCustom?: string | null | undefined;
  decimals?: number | null | undefined;
  showLegend: boolean;
  /** `right` puts the legend beside the chart; anything else below it. */
  legendPosition?: string | null | undefined;
}

/**
 * One panel's drawing: a canvas inside `chart-renderer` (UI-SPEC §14.1) with an HTML legend
 * (`chart-legend-item`, one per series), a `table` or a `metric` value.
 */
export function PanelChart({
  look,
  data,
  dark,
}: {
  look: PanelLook;
  data: ChartData;
  dark: boolean;
}) {
  const format = useMemo(
    () => (v: number) => formatUnit(v, look.unit, look.decimals, look.unitCustom),
    [look.unit, look.decimals, look.unitCustom],
  );
  if (look.type === 'table') return <PanelTable data={data} format={format} />;
  if (look.type === 'metric') {
    const value = data.series[0]?.points.at(-1)?.[1];
    return (
      <div className="panel-metric" data-test="chart-renderer">
        <span data-test="dashboard-panel-metric-value">
          {value === undefined ? 'No Data' : format(value)}
        </span>
      </div>
    );
  }
  return <EChart look={look} data={data} format={format} dark={dark} />;
}

function EChart({
  look,
  data,
  format,
  dark,
}: {
  look: PanelLook;
  data: ChartData;
  format: (v: number) => string;
  dark: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<
    | { setOption: (o: object, notMerge: boolean) => void; dispose: () => void; resize: () => void }
    | undefined
  >(undefined);
  const option = useMemo(
    () => ({
      color: PALETTE,
      backgroundColor: 'transparent',
      ...chartOption(look.type, data, format),
    }),
    [look.type, data, format],
  );
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import('../charts/panel-echarts').then(({ echarts }) => {
      if (disposed || host.current === null) return;
      const instance = echarts.init(host.current, dark ? 'dark' : undefined);
      instance.setOption(latest.current, true);
      chart.current = instance;
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(host.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = undefined;
    };
  }, [dark]);

  useEffect(() => chart.current?.setOption(option, true), [option]);

  const legend = look.showLegend && look.type !== 'gauge' && look.type !== 'heatmap';
  return (
    <div className={look.legendPosition === 'right' ? 'panel-chart legend-right' : 'panel-chart'}>
      <div
        className="panel-canvas"
        data-test="chart-renderer"
        data-series-count={data.series.length}
        ref={host}
      />
      {data.series.length === 0 && <div className="panel-no-data">No Data</div>}
      {legend && data.series.length > 0 && (
        <ul className="chart-legend" data-test="chart-legend">
          {data.series.map((s, i) => (
            <li key={s.name} data-test="chart-legend-item" title={s.name}>
              <span
                className="chart-legend-swatch"
                style={{ background: PALETTE[i % PALETTE.length] }}
              />
              {s.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PanelTable({ data, format }: { data: ChartData; format: (v: number) => string }) {
  const columns = [...new Set(data.rows.flatMap((r) => Object.keys(r)))];
  return (
    <div className="panel-table" data-test="chart-renderer">
      <table data-test="dashboard-panel-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} data-test={`o2-table-th-${c}`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row, i) => (
            <tr key={i} data-test={`o2-table-row-${i}`}>
              {columns.map((c) => {
                const v = row[c];
                return (
                  <td key={c} data-test={`o2-table-cell-${c}`}>
                    {typeof v === 'number' ? format(v) : cellText(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
