import type { ChartData } from './series';

/** How a panel formats its values (unit + decimals, from the panel config). */
export type Formatter = (value: number) => string;

const last = (points: ReadonlyArray<[number | string, number]>) => points.at(-1)?.[1] ?? 0;

/**
 * The ECharts option for a panel type. The legend is drawn by the page in HTML (readable and
 * clickable), so ECharts draws none; the tooltip lists every series at the hovered x.
 */
export function chartOption(type: string, data: ChartData, format: Formatter): object {
  const axisLabel = { formatter: (v: number) => format(v) };
  const tooltip = { trigger: 'axis', valueFormatter: (v: number) => format(v), confine: true };
  switch (type) {
    case 'pie':
    case 'donut':
      return {
        tooltip: { trigger: 'item', valueFormatter: (v: number) => format(v) },
        series: [
          {
            type: 'pie',
            radius: type === 'donut' ? ['45%', '75%'] : '75%',
            data: data.series.map((s) => ({ name: s.name, value: last(s.points) })),
          },
        ],
      };
    case 'gauge':
      return {
        series: data.series.slice(0, 1).map((s) => ({
          type: 'gauge',
          min: 0,
          max: Math.max(100, last(s.points)),
          detail: { formatter: (v: number) => format(v), fontSize: 16 },
          data: [{ value: last(s.points), name: s.name }],
        })),
      };
    case 'heatmap': {
      const xs = [...new Set(data.series.flatMap((s) => s.points.map((p) => p[0])))];
      const values = data.series.flatMap((s, y) =>
        s.points.map((p) => [xs.indexOf(p[0]), y, p[1]]),
      );
      const max = Math.max(1, ...values.map((v) => Number(v[2])));
      return {
        tooltip: { position: 'top' },
        grid: { left: 80, right: 20, top: 10, bottom: 50 },
        xAxis: {
          type: 'category',
          data: xs.map((x) => (typeof x === 'number' ? new Date(x).toLocaleTimeString() : x)),
        },
        yAxis: { type: 'category', data: data.series.map((s) => s.name) },
        visualMap: {
          min: 0,
          max,
          calculable: true,
          orient: 'horizontal',
          left: 'center',
          bottom: 0,
        },
        series: [{ type: 'heatmap', data: values }],
      };
    }
    default:
      return cartesian(type, data, axisLabel, tooltip);
  }
}

function cartesian(type: string, data: ChartData, axisLabel: object, tooltip: object): object {
  const horizontal = type === 'h-bar' || type === 'h-stacked';
  const stacked = type === 'stacked' || type === 'h-stacked' || type === 'area-stacked';
  const seriesType =
    type === 'scatter'
      ? 'scatter'
      : type.includes('bar') || (type.includes('stacked') && type !== 'area-stacked')
        ? 'bar'
        : 'line';
  const categoryAxis = data.timeAxis ? { type: 'time' } : { type: 'category' };
  const valueAxis = { type: 'value', axisLabel };
  return {
    animation: false,
    tooltip,
    grid: { left: 8, right: 20, top: 16, bottom: 8, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: data.series.map((s) => ({
      name: s.name,
      type: seriesType,
      showSymbol: false,
      ...(stacked ? { stack: 'total' } : {}),
      ...(type.startsWith('area') ? { areaStyle: {} } : {}),
      data: horizontal ? s.points.map(([x, y]) => [y, x]) : s.points,
    })),
  };
}
