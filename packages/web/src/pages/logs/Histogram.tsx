import { useEffect, useRef } from 'react';
import { formatInZone } from '../../app/time-zone';
import type { Bucket } from './histogram-buckets';

interface Props {
  buckets: Bucket[];
  intervalUs: number;
  dark: boolean;
  /** The zone the axis labels are in. */
  timezone: string;
  /** A brushed range of buckets, as µs [start, end). */
  onZoom: (startUs: number, endUs: number) => void;
}

/** The logs histogram (ECharts bars); dragging across it zooms the time range. */
export function Histogram({ buckets, intervalUs, dark, timezone, onZoom }: Props) {
  const label = (us: number) => formatInZone(us, timezone).slice(11, 19);
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(onZoom);
  latest.current = onZoom;

  useEffect(() => {
    let chart: { dispose: () => void } | undefined;
    let disposed = false;
    void import('../../charts/echarts').then(({ echarts }) => {
      if (disposed || host.current === null) return;
      const instance = echarts.init(host.current, dark ? 'dark' : undefined);
      chart = instance;
      instance.setOption({
        backgroundColor: 'transparent',
        // Bars appear at once: the histogram redraws on every search and auto-refresh.
        animation: false,
        grid: { left: 40, right: 10, top: 10, bottom: 24 },
        tooltip: { trigger: 'axis' },
        toolbox: { show: false },
        xAxis: { type: 'category', data: buckets.map((b) => label(b.start)) },
        yAxis: { type: 'value', minInterval: 1 },
        brush: {
          xAxisIndex: 'all',
          brushType: 'lineX',
          brushMode: 'single',
          throttleType: 'debounce',
        },
        series: [
          {
            type: 'bar',
            name: 'events',
            data: buckets.map((b) => b.count),
            itemStyle: { color: '#5960b2' },
          },
        ],
      });
      // Dragging is brushing from the start (O2's histogram zooms on drag, without a toolbox).
      instance.dispatchAction({
        type: 'takeGlobalCursor',
        key: 'brush',
        brushOption: { brushType: 'lineX', brushMode: 'single' },
      });
      instance.on('brushEnd', (event: unknown) => {
        const area = (event as { areas?: Array<{ coordRange?: [number, number] }> }).areas?.[0];
        const [from, to] = area?.coordRange ?? [];
        const first = from === undefined ? undefined : buckets[Math.max(0, from)];
        const last = to === undefined ? undefined : buckets[Math.min(buckets.length - 1, to)];
        if (first !== undefined && last !== undefined)
          latest.current(first.start, last.start + intervalUs);
      });
    });
    return () => {
      disposed = true;
      chart?.dispose();
    };
  }, [buckets, intervalUs, dark, timezone]);

  return <div className="histogram" data-test="logs-search-result-bar-chart" ref={host} />;
}
