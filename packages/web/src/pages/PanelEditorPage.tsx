import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { addPanel, allPanels, findPanel, updatePanel } from '@o2/dashboards';
import type { Panel, PanelQuery } from '@o2/dashboards';
import { useOrg, useOrgPath } from '../app/org';
import { useSession } from '../app/session';
import { useIsDark } from '../app/theme';
import { loadMetrics, usePromqlCompletion } from '../editor/promql-source';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DateTimePicker } from '../components/DateTimePicker';
import { PanelChart } from '../components/PanelChart';
import { TextInput } from '../components/TextInput';
import { Toast } from '../components/Toast';
import { CHART_TYPES, builderSql, newPanel, newPanelId, newQuery } from '../panels/panel-factory';
import { usePanelData } from '../panels/usePanelData';
import { useUrlTime } from './logs/useUrlTime';
import { useDashboard } from './dashboards/useDashboard';
import { useVariables } from './dashboards/useVariables';
import { VariablesBar } from './dashboards/VariablesBar';
import { ConfigSidebar } from './panel-editor/ConfigSidebar';
import { QueryTabs } from './panel-editor/QueryTabs';
import { SqlBuilder } from './panel-editor/SqlBuilder';
import './dashboards/dashboards.css';
import './metrics/metrics.css';

const CodeEditor = lazy(() => import('../editor/CodeEditor'));

/**
 * The panel editor (UI-SPEC §7.3): chart type, SQL (builder or custom) or PromQL query, preview
 * (Apply), config sidebar, Save into the dashboard (`?dashboard=&tab=&panelId=`).
 */
export default function PanelEditorPage() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const navigate = useNavigate();
  const dark = useIsDark();
  const { config } = useSession();
  const [params, setParams] = useSearchParams();
  const id = params.get('dashboard') ?? '';
  const panelId = params.get('panelId');
  const tabId = params.get('tab') ?? undefined;
  const { state, save } = useDashboard(org, id);
  const doc = state.status === 'ready' ? state.loaded.dashboard : undefined;
  const [draft, setDraft] = useState<Panel | undefined>();
  const [applied, setApplied] = useState<Panel | undefined>();
  const [applies, setApplies] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const [original, setOriginal] = useState('');
  const [leaving, setLeaving] = useState(false);
  const [active, setActive] = useState(0);
  const time = useUrlTime(params, setParams);
  const range = useMemo(() => time.range(), [time.range, applies]);
  const variables = useVariables(org, doc, params, setParams, range, config.dashboard_placeholder);
  const metrics = useMemo(() => loadMetrics(org).catch(() => []), [org]);
  usePromqlCompletion(
    org,
    useCallback(() => metrics, [metrics]),
    time.range,
  );

  useEffect(() => {
    if (doc === undefined || draft !== undefined) return;
    const existing = panelId === null ? undefined : findPanel(doc, panelId)?.panel;
    const taken = new Set(allPanels(doc).map((p) => p.panel.id));
    const panel =
      existing ??
      newPanel({ id: newPanelId(taken), type: 'line', queryType: 'sql', title: '', query: '' });
    setDraft(panel);
    setApplied(panel);
    setOriginal(JSON.stringify(panel));
  }, [doc, draft, panelId]);

  const preview = applied ?? newPanel({ type: 'line', queryType: 'sql', title: '', query: '' });
  const data = usePanelData(
    preview,
    {
      org,
      startUs: range.start,
      endUs: range.end,
      variables: variables.values,
      placeholder: config.dashboard_placeholder,
    },
    `${applies}|${JSON.stringify(preview.queries)}|${preview.queryType}|${JSON.stringify([...variables.values])}`,
  );

  if (state.status === 'error') return <Toast variant="error" message={state.error} />;
  if (doc === undefined || draft === undefined)
    return <div className="page-loading" aria-busy="true" />;
  const at = Math.min(active, draft.queries.length - 1);
  const query = draft.queries[at]!;
  const promql = draft.queryType === 'promql';
  const setQuery = (q: PanelQuery) =>
    setDraft({ ...draft, queries: draft.queries.map((x, i) => (i === at ? q : x)) });
  const apply = () => {
    setApplied(draft);
    setApplies((n) => n + 1);
  };
  const back = () =>
    void navigate(
      orgPath('/dashboards/view', {
        dashboard: id,
        folder: params.get('folder') ?? 'default',
        ...(tabId === undefined ? {} : { tab: tabId }),
      }),
    );
  const submit = async () => {
    if (draft.title.trim() === '') return setError('Name of Panel is required');
    try {
      const exists = findPanel(doc, draft.id) !== undefined;
      await save(
        exists
          ? updatePanel(doc, draft.id, draft).dashboard
          : addPanel(doc, draft, tabId).dashboard,
      );
      back();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const setMode = (queryType: 'sql' | 'promql', custom: boolean) => {
    setActive(0);
    const fresh = newQuery(
      queryType,
      custom || queryType === 'promql' ? (query.query ?? '') : '',
      '',
      query.config.promql_legend,
    );
    setDraft({
      ...draft,
      queryType,
      queries: [{ ...fresh, customQuery: custom || queryType === 'promql' }],
    });
  };
  const toggle = (on: boolean, testId: string, label: string, click: () => void) => (
    <button
      type="button"
      className="btn btn-small"
      role="radio"
      aria-checked={on}
      data-state={on ? 'on' : 'off'}
      data-test={testId}
      onClick={click}
    >
      {label}
    </button>
  );

  return (
    <div className="panel-editor" data-test="dashboard-panel-editor">
      <aside
        className="chart-types"
        data-test="dashboard-chart-types"
        style={{ width: 120, flexDirection: 'column' }}
      >
        {CHART_TYPES.map((t) => (
          <button
            key={t.value}
            type="button"
            className="btn btn-small"
            data-state={draft.type === t.value ? 'on' : 'off'}
            aria-pressed={draft.type === t.value}
            data-test={`selected-chart-${t.value}-item`}
            onClick={() => setDraft({ ...draft, type: t.value })}
          >
            {t.label}
          </button>
        ))}
      </aside>
      <section className="panel-editor-main">
        <div className="toolbar">
          <TextInput
            dataTest="dashboard-panel-name"
            label="Panel name"
            value={draft.title}
            onChange={(title) => setDraft({ ...draft, title })}
            error={error}
          />
          <span className="header-spacer" />
          <DateTimePicker
            value={time.timeRange}
            zone={time.zoneChoice}
            onChange={time.setTimeRange}
            onZone={time.setZone}
          />
          <button
            type="button"
            className="btn"
            data-test="dashboard-panel-discard"
            onClick={() => (JSON.stringify(draft) === original ? back() : setLeaving(true))}
          >
            Discard
          </button>
          <button type="button" className="btn" data-test="dashboard-apply" onClick={apply}>
            Apply
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-test="dashboard-panel-save"
            onClick={() => void submit()}
          >
            Save
          </button>
        </div>
        <VariablesBar state={variables} placeholder={config.dashboard_placeholder} />
        <div className="panel-editor-preview" data-test="dashboard-panel-preview">
          {data.status === 'error' && (
            <div className="panel-error" role="alert" data-test="dashboard-panel-error">
              {data.error}
            </div>
          )}
          {data.status !== 'error' && data.data !== undefined && (
            <PanelChart
              look={{
                type: preview.type,
                unit: preview.config.unit,
                unitCustom: preview.config.unit_custom,
                decimals: preview.config.decimals,
                showLegend: preview.config.show_legends,
                legendPosition: preview.config.legends_position,
              }}
              data={data.data}
              dark={dark}
            />
          )}
        </div>
        <div className="toolbar" role="radiogroup" aria-label="Query mode">
          {toggle(!promql, 'dashboard-sql-query-type', 'SQL', () =>
            setMode('sql', query.customQuery),
          )}
          {toggle(promql, 'dashboard-promql-query-type', 'PromQL', () => setMode('promql', true))}
          {!promql &&
            toggle(!query.customQuery, 'dashboard-builder-query-type', 'Builder', () =>
              setMode('sql', false),
            )}
          {!promql &&
            toggle(query.customQuery, 'dashboard-custom-query-type', 'Custom', () =>
              setQuery({ ...query, customQuery: true, query: builderSql(query.fields) }),
            )}
        </div>
        {promql && (
          <QueryTabs
            queries={draft.queries}
            active={at}
            onActive={setActive}
            onChange={(queries) => setDraft({ ...draft, queries })}
          />
        )}
        {!promql && !query.customQuery && (
          <SqlBuilder org={org} query={query} onChange={setQuery} />
        )}
        {!promql && !query.customQuery ? (
          <pre className="generated-sql" data-test="dashboard-panel-generated-sql">
            {builderSql(query.fields)}
          </pre>
        ) : (
          <Suspense fallback={<div className="code-editor" aria-busy="true" />}>
            <CodeEditor
              key={`${draft.queryType ?? 'sql'}-${at}-${draft.queries.length}`}
              dataTest="dashboard-panel-query-editor"
              ariaLabel={promql ? 'PromQL query' : 'SQL query'}
              language={promql ? 'promql' : 'sql'}
              value={query.query ?? ''}
              onChange={(text) => setQuery({ ...query, query: text })}
              onRun={apply}
              dark={dark}
            />
          </Suspense>
        )}
      </section>
      <ConfigSidebar panel={draft} queryIndex={at} onChange={setDraft} />
      {leaving && (
        <ConfirmDialog
          dataTest="dashboard-panel-discard-dialog"
          title="Discard changes"
          confirmLabel="Discard"
          onCancel={() => setLeaving(false)}
          onConfirm={back}
        >
          This panel has unsaved changes. Leave without saving them?
        </ConfirmDialog>
      )}
    </div>
  );
}
