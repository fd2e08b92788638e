import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { REFRESH_CHOICES, useAutoRefresh } from '../app/auto-refresh';
import { useOrg, useOrgPath } from '../app/org';
import { useSession } from '../app/session';
import { useIsDark } from '../app/theme';
import { useAsync } from '../app/useAsync';
import { DateTimePicker } from '../components/DateTimePicker';
import { PanelChart } from '../components/PanelChart';
import { Select } from '../components/Select';
import { Toast } from '../components/Toast';
import { loadMetrics, usePromqlCompletion } from '../editor/promql-source';
import { newPanel } from '../panels/panel-factory';
import { usePanelData } from '../panels/usePanelData';
import { useUrlTime } from './logs/useUrlTime';
import { AddToDashboard } from './metrics/AddToDashboard';
import { LabelBrowser } from './metrics/LabelBrowser';
import { MetricList } from './metrics/MetricList';
import { withMatcher } from './metrics/matcher';
import './metrics/metrics.css';

const CodeEditor = lazy(() => import('../editor/CodeEditor'));
const NO_VARIABLES = new Map<string, string>();

/**
 * Metrics (UI-SPEC §6): metric list with type and help, label browser, PromQL editor with
 * completion, a line chart with legend, and "add to dashboard". The query, legend, range and
 * refresh live in the URL, so a link shares the view.
 */
export default function MetricsPage() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const dark = useIsDark();
  const { config } = useSession();
  const [params, setParams] = useSearchParams();
  const time = useUrlTime(params, setParams);
  const [text, setText] = useState(() => params.get('query') ?? '');
  const [legend, setLegend] = useState(() => params.get('legend') ?? '');
  const [ran, setRan] = useState({ query: params.get('query') ?? '', legend, n: 0 });
  const [adding, setAdding] = useState(false);
  const [toast, setToast] = useState<{ text: string; dashboardId?: string; folder?: string }>();
  const refresh = Number(params.get('refresh') ?? '0');

  const metrics = useAsync(() => loadMetrics(org), [org]);
  const list = metrics.status === 'ready' ? metrics.data : [];
  const selected = params.get('metric') ?? /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(ran.query)?.[0] ?? '';

  const listed = useCallback(() => Promise.resolve(list), [list]);
  usePromqlCompletion(org, listed, time.range);

  const run = (query = text) => {
    const next = new URLSearchParams(params);
    next.set('query', query);
    if (legend === '') next.delete('legend');
    else next.set('legend', legend);
    setParams(next);
    setRan((r) => ({ query, legend, n: r.n + 1 }));
  };
  useAutoRefresh(refresh, () => run(ran.query));

  const panel = useMemo(
    () =>
      newPanel({
        id: 'metrics',
        type: 'line',
        queryType: 'promql',
        title: '',
        query: ran.query,
        legend: ran.legend,
      }),
    [ran.query, ran.legend],
  );
  const { start, end } = useMemo(() => time.range(), [ran, time.range]);
  const result = usePanelData(
    panel,
    {
      org,
      startUs: start,
      endUs: end,
      variables: NO_VARIABLES,
      placeholder: config.dashboard_placeholder,
    },
    `${org}|${ran.n}|${ran.query}|${ran.legend}|${start}`,
  );

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next);
  };

  return (
    <div className="metrics-page" data-test="metrics-page">
      <aside className="metrics-sidebar">
        {metrics.status === 'error' && <Toast variant="error" message={metrics.error} />}
        <MetricList
          metrics={list}
          selected={selected}
          onSelect={(name) => {
            setText(name);
            setParam('metric', name);
          }}
        />
        {selected !== '' && (
          <LabelBrowser
            key={selected}
            org={org}
            metric={selected}
            range={time.range}
            onPick={(label, value) => setText(withMatcher(text, selected, label, value))}
          />
        )}
      </aside>
      <section className="metrics-main">
        <div className="toolbar">
          <DateTimePicker
            value={time.timeRange}
            zone={time.zoneChoice}
            onChange={time.setTimeRange}
            onZone={time.setZone}
          />
          <Select
            dataTest="metrics-auto-refresh"
            ariaLabel="Auto refresh"
            value={String(refresh)}
            options={REFRESH_CHOICES}
            onChange={(v) => setParam('refresh', v)}
          />
          <button
            type="button"
            className="btn btn-primary"
            data-test="metrics-apply"
            onClick={() => run()}
          >
            Run query
          </button>
          <button
            type="button"
            className="btn"
            data-test="metrics-add-to-dashboard-btn"
            disabled={ran.query.trim() === ''}
            onClick={() => setAdding(true)}
          >
            Add to dashboard
          </button>
        </div>
        <Suspense fallback={<div className="code-editor" aria-busy="true" />}>
          <CodeEditor
            dataTest="metrics-query-editor"
            ariaLabel="PromQL query"
            language="promql"
            value={text}
            onChange={setText}
            onRun={() => run()}
            dark={dark}
          />
        </Suspense>
        <label className="o-input metrics-legend" data-test="metrics-legend">
          <span className="o-input-label">Legend</span>
          <input
            data-test="metrics-legend-field"
            placeholder="{label} template, e.g. {k8s_namespace_name}"
            value={legend}
            onChange={(event) => setLegend(event.target.value)}
          />
        </label>
        <div
          className="metrics-chart"
          data-test="metrics-chart"
          aria-busy={result.status === 'loading'}
        >
          {result.status === 'error' && <Toast variant="error" message={result.error} />}
          {ran.query !== '' && result.status !== 'error' && result.data !== undefined && (
            <PanelChart look={{ type: 'line', showLegend: true }} data={result.data} dark={dark} />
          )}
        </div>
      </section>
      {adding && (
        <AddToDashboard
          org={org}
          panel={{
            ...newPanel({
              type: 'line',
              queryType: 'promql',
              title: '',
              query: ran.query,
              legend: ran.legend,
            }),
          }}
          onDone={(done) => {
            setAdding(false);
            if (done !== undefined)
              setToast({
                text: 'Panel added to dashboard',
                dashboardId: done.dashboardId,
                folder: done.folderId,
              });
          }}
        />
      )}
      {toast !== undefined && (
        <div className="toast-stack">
          <Toast variant="success" message={toast.text} />
          {toast.dashboardId !== undefined && (
            <Link
              data-test="metrics-open-dashboard-link"
              to={orgPath('/dashboards/view', {
                dashboard: toast.dashboardId,
                folder: toast.folder ?? 'default',
              })}
            >
              Open dashboard
            </Link>
          )}
        </div>
      )}
    </div>
  );
}
