import { useEffect, useRef } from 'react';
import { formatInZone } from '../../app/time-zone';
import { formatDuration } from './span-tree';

/** One trace on the chart: start (ns), duration (µs), whether it has error spans. */
export interface ScatterPoint {
  traceId: string;
  startNs: number;
  durationUs: number;
  error: boolean;
}

interface Props {
  points: ScatterPoint[];
  dark: boolean;
  timezone: string;
  /** Clicking a point opens that trace. */
  onOpen: (point: ScatterPoint) => void;
  /** A brushed span of the time axis, µs [start, end). */
  onZoom: (startUs: number, endUs: number) => void;
}

/**
 * The traces' duration-over-time scatter (UI-SPEC §8.1, the 2024 O2 chart): one point per trace,
 * x = start, y = duration in ms, error traces in red. Click opens a trace; dragging narrows time.
 */
export function DurationScatter({ points, dark, timezone, onOpen, onZoom }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef({ onOpen, onZoom });
  latest.current = { onOpen, onZoom };

  useEffect(() => {
    let chart: { dispose: () => void } | undefined;
    let disposed = false;
    void import('../../charts/echarts-scatter').then(({ echarts }) => {
      if (disposed || host.current === null) return;
      const instance = echarts.init(host.current, dark ? 'dark' : undefined);
      chart = instance;
      const series = (error: boolean) => ({
        type: 'scatter',
        name: error ? 'error traces' : 'traces',
        symbolSize: 8,
        itemStyle: { color: error ? '#d64545' : '#5960b2' },
        data: points
          .filter((p) => p.error === error)
          .map((p) => ({ value: [p.startNs / 1e6, p.durationUs / 1000], traceId: p.traceId })),
      });
      instance.setOption({
        backgroundColor: 'transparent',
        animation: false,
        grid: { left: 56, right: 16, top: 12, bottom: 28 },
        toolbox: { show: false },
        tooltip: {
          trigger: 'item',
          formatter: (item: { data: { value: [number, number]; traceId: string } }) =>
            `${formatInZone(item.data.value[0] * 1000, timezone)}<br/>` +
            `${formatDuration(item.data.value[1] * 1000)}<br/>${item.data.traceId}`,
        },
        xAxis: {
          type: 'time',
          axisLabel: { formatter: (ms: number) => formatInZone(ms * 1000, timezone).slice(11, 19) },
        },
        yAxis: { type: 'value', name: 'ms', nameGap: 8, min: 0 },
        brush: { xAxisIndex: 'all', brushType: 'lineX', brushMode: 'single' },
        series: [series(false), series(true)],
      });
      // Dragging brushes from the start, as on the logs histogram (no toolbox to pick it from).
      instance.dispatchAction({
        type: 'takeGlobalCursor',
        key: 'brush',
        brushOption: { brushType: 'lineX', brushMode: 'single' },
      });
      instance.on('click', (event: unknown) => {
        const traceId = (event as { data?: { traceId?: string } }).data?.traceId;
        const point = points.find((p) => p.traceId === traceId);
        if (point !== undefined) latest.current.onOpen(point);
      });
      instance.on('brushEnd', (event: unknown) => {
        const area = (event as { areas?: Array<{ coordRange?: [number, number] }> }).areas?.[0];
        const [from, to] = area?.coordRange ?? [];
        if (from !== undefined && to !== undefined && to > from)
          // The axis ends on the newest point; +1 µs keeps it inside the half-open window.
          latest.current.onZoom(Math.floor(from * 1000), Math.ceil(to * 1000) + 1);
      });
    });
    return () => {
      disposed = true;
      chart?.dispose();
    };
  }, [points, dark, timezone]);

  return (
    <div
      className="traces-scatter"
      id="traces_scatter_chart"
      data-test="traces-search-result-bar-chart"
      ref={host}
    />
  );
}
