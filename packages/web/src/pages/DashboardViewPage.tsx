import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { deletePanel, findPanel, updatePanel } from '@o2/dashboards';
import { duplicatePanel } from '../panels/panel-factory';
import type { DashboardV8 } from '@o2/dashboards';
import { dashboardsApi } from '../api/dashboards';
import { REFRESH_CHOICES, useAutoRefresh } from '../app/auto-refresh';
import { downloadText } from '../app/download';
import { useOrg, useOrgPath } from '../app/org';
import { useSession } from '../app/session';
import { useIsDark } from '../app/theme';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DateTimePicker } from '../components/DateTimePicker';
import { Select } from '../components/Select';
import { Toast } from '../components/Toast';
import { useUrlTime } from './logs/useUrlTime';
import { PanelCard } from './dashboards/PanelCard';
import { PanelGrid } from './dashboards/PanelGrid';
import { SettingsDrawer } from './dashboards/SettingsDrawer';
import { useDashboard } from './dashboards/useDashboard';
import { useVariables } from './dashboards/useVariables';
import { VariablesBar } from './dashboards/VariablesBar';
import './dashboards/dashboards.css';
import './metrics/metrics.css';

/**
 * A dashboard (UI-SPEC §7.2): variables bar, time range, refresh and auto refresh, tabs, and the
 * panel grid; panels are added and edited in the panel editor. State is in the URL (§7.5).
 */
export default function DashboardViewPage() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const navigate = useNavigate();
  const dark = useIsDark();
  const { config } = useSession();
  const [params, setParams] = useSearchParams();
  const id = params.get('dashboard') ?? '';
  const folder = params.get('folder') ?? 'default';
  const { state, save } = useDashboard(org, id);
  const time = useUrlTime(params, setParams);
  const [refreshes, setRefreshes] = useState(0);
  const refresh = Number(params.get('refresh') ?? '0');
  useAutoRefresh(refresh, () => setRefreshes((n) => n + 1));
  const range = useMemo(() => time.range(), [time.range, refreshes]);
  const dashboard = state.status === 'ready' ? state.loaded.dashboard : undefined;
  const placeholder = config.dashboard_placeholder;
  const variables = useVariables(org, dashboard, params, setParams, range, placeholder);
  const [settings, setSettings] = useState(false);
  const [deleting, setDeleting] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  if (state.status === 'loading') return <div className="page-loading" aria-busy="true" />;
  if (state.status === 'error') return <Toast variant="error" message={state.error} />;
  const doc = state.loaded.dashboard;
  const tabs = doc.tabs ?? [];
  const tabId = params.get('tab') ?? tabs[0]?.tabId ?? 'default';
  const tab = tabs.find((t) => t.tabId === tabId) ?? tabs[0];
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));
  const persist = (next: DashboardV8) => save(next).catch(fail);
  const setParam = (key: string, value: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.set(key, value);
      return next;
    });
  const editorPath = (panelId?: string) =>
    orgPath('/dashboards/add_panel', {
      dashboard: id,
      folder,
      tab: tab?.tabId ?? 'default',
      ...(panelId === undefined ? {} : { panelId }),
    });
  const run = {
    org,
    startUs: range.start,
    endUs: range.end,
    variables: variables.values,
    placeholder,
  };
  const refreshKey = `${org}|${range.start}|${range.end}|${JSON.stringify([...variables.values])}`;

  return (
    <div className="dashboard-view" data-test="dashboard-view">
      <div className="toolbar dashboard-toolbar">
        <Link
          to={orgPath('/dashboards', { folder })}
          className="btn btn-icon"
          data-test="dashboard-back-btn"
          aria-label="Back"
        >
          ←
        </Link>
        <h1 className="page-title" data-test="dashboard-title">
          {doc.title}
        </h1>
        <span className="header-spacer" />
        <button
          type="button"
          className="btn"
          data-test="dashboard-panel-add"
          onClick={() => void navigate(editorPath())}
        >
          Add Panel
        </button>
        <DateTimePicker
          value={time.timeRange}
          zone={time.zoneChoice}
          onChange={time.setTimeRange}
          onZone={time.setZone}
        />
        <Select
          dataTest="dashboard-auto-refresh"
          ariaLabel="Auto refresh"
          value={String(refresh)}
          options={REFRESH_CHOICES}
          onChange={(v) => setParam('refresh', v)}
        />
        <button
          type="button"
          className="btn"
          data-test="dashboard-refresh-btn"
          onClick={() => setRefreshes((n) => n + 1)}
        >
          Refresh
        </button>
        <button
          type="button"
          className="btn"
          data-test="dashboard-setting-btn"
          onClick={() => setSettings(true)}
        >
          Settings
        </button>
        <button
          type="button"
          className="btn"
          data-test="dashboard-json-export"
          onClick={() =>
            void dashboardsApi
              .exportText(org, id)
              .then((text) => downloadText(`${doc.title}.dashboard.json`, text), fail)
          }
        >
          Export
        </button>
      </div>
      <VariablesBar state={variables} placeholder={placeholder} />
      {tabs.length > 1 && (
        <div className="dashboard-tabs" role="tablist">
          {tabs.map((t) => (
            <button
              key={t.tabId}
              type="button"
              role="tab"
              aria-selected={t.tabId === tab?.tabId}
              data-state={t.tabId === tab?.tabId ? 'active' : 'inactive'}
              data-test={`dashboard-tab-${t.tabId}`}
              onClick={() => setParam('tab', t.tabId)}
            >
              {t.name}
            </button>
          ))}
        </div>
      )}
      {error !== undefined && <Toast variant="error" message={error} />}
      {(tab?.panels ?? []).length === 0 ? (
        <div className="empty" data-test="dashboard-no-panels">
          This dashboard has no panels.{' '}
          <button
            type="button"
            className="btn btn-primary"
            data-test="dashboard-if-no-panel-add-panel-btn"
            onClick={() => void navigate(editorPath())}
          >
            Add Panel
          </button>
        </div>
      ) : (
        <PanelGrid
          panels={tab?.panels ?? []}
          onLayout={(panelId, layout) => {
            const found = findPanel(doc, panelId);
            if (found === undefined) return;
            void persist(
              updatePanel(doc, panelId, {
                ...found.panel,
                layout: { ...found.panel.layout, ...layout },
              }).dashboard,
            );
          }}
          render={(panel) => (
            <PanelCard
              panel={panel}
              run={run}
              refreshKey={refreshKey}
              dark={dark}
              onEdit={() => void navigate(editorPath(panel.id))}
              onDelete={() => setDeleting(panel.id)}
              onDuplicate={() => void persist(duplicatePanel(doc, panel.id, tab?.tabId))}
            />
          )}
        />
      )}
      {settings && (
        <SettingsDrawer
          org={org}
          dashboard={doc}
          onSave={save}
          onClose={() => setSettings(false)}
        />
      )}
      {deleting !== undefined && (
        <ConfirmDialog
          dataTest="dashboard-delete-panel-dialog"
          title="Delete Panel"
          confirmLabel="Delete"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            void persist(deletePanel(doc, deleting));
            setDeleting(undefined);
          }}
        >
          Are you sure you want to delete this panel?
        </ConfirmDialog>
      )}
    </div>
  );
}
