import { useState } from 'react';
import type { AlertListItem } from '@o2/api-schemas';
import { api } from '../api/endpoints';
import { useOrg } from '../app/org';
import { useAsync } from '../app/useAsync';
import { DataTable } from '../components/DataTable';
import { Toast } from '../components/Toast';
import { AlertForm } from './alerts/AlertForm';
import { DestinationsTab, HistoryTab, TemplatesTab } from './alerts/NotifyTabs';

type Tab = 'alerts' | 'destinations' | 'templates' | 'history';
const micros = (us: number | null) => (us === null ? '—' : new Date(us / 1000).toISOString());

/** Alerts (UI-SPEC §9): the list by folder, create, destinations, templates and history. */
export default function AlertsPage() {
  const org = useOrg();
  const [tab, setTab] = useState<Tab>('alerts');
  const [creating, setCreating] = useState(false);
  const [folder, setFolder] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const data = useAsync(async () => {
    const [alerts, destinations, templates, prebuilt, history] = await Promise.all([
      api.alerts(org),
      api.destinations(org),
      api.templates(org),
      api.prebuiltTemplates(org),
      api.alertHistory(org),
    ]);
    return { alerts: alerts.list, destinations, templates: [...templates, ...prebuilt], history };
  }, [org]);
  const act = (work: Promise<unknown>, done: string) =>
    work.then(() => {
      setMessage({ ok: true, text: done });
      data.reload();
    });
  const run = (work: Promise<unknown>, done: string) =>
    void act(work, done).catch((e: unknown) =>
      setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) }),
    );

  if (data.status === 'loading') return <div className="page-loading" aria-busy="true" />;
  if (data.status === 'error') return <Toast variant="error" message={data.error} />;
  const { alerts, destinations, templates, history } = data.data;
  const folders = [...new Set(alerts.map((a) => a.folder_name))].sort();
  const shown = alerts.filter((a) => folder === '' || a.folder_name === folder);

  return (
    <div className="alerts" data-test="alerts-page">
      <h1 className="page-title">Alerts</h1>
      <div role="tablist">
        {(['alerts', 'destinations', 'templates', 'history'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            data-test={`alerts-tab-${t}`}
            onClick={() => setTab(t)}
          >
            {t[0]!.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      {message !== undefined && (
        <Toast variant={message.ok ? 'success' : 'error'} message={message.text} />
      )}
      {tab === 'alerts' && !creating && (
        <>
          <select
            data-test="alerts-folder-select"
            aria-label="Folder"
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
          >
            <option value="">All folders</option>
            {folders.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
          <button
            type="button"
            data-test="alert-list-add-alert-btn"
            onClick={() => setCreating(true)}
          >
            New alert
          </button>
          <DataTable<AlertListItem>
            dataTest="alert-list-table"
            rows={shown}
            rowKey={(a) => a.alert_id}
            columns={[
              { key: 'name', label: 'Name', render: (a) => a.name, sortValue: (a) => a.name },
              { key: 'type', label: 'Type', render: (a) => a.alert_type },
              {
                key: 'stream',
                label: 'Stream',
                render: (a) => `${a.stream_type}/${a.stream_name}`,
              },
              { key: 'owner', label: 'Owner', render: (a) => a.owner },
              {
                key: 'last_triggered',
                label: 'Last triggered',
                render: (a) => micros(a.last_triggered_at),
              },
              {
                key: 'enabled',
                label: 'Status',
                render: (a) => (
                  <button
                    type="button"
                    data-test={`alert-toggle-${a.name}`}
                    onClick={() =>
                      run(
                        api.enableAlert(org, a.alert_id, !a.enabled),
                        a.enabled ? 'Alert paused' : 'Alert enabled',
                      )
                    }
                  >
                    {a.enabled ? 'Enabled' : 'Paused'}
                  </button>
                ),
              },
              {
                key: 'actions',
                label: '',
                render: (a) => (
                  <button
                    type="button"
                    data-test={`alert-delete-${a.name}`}
                    onClick={() => run(api.deleteAlert(org, a.alert_id), 'Alert deleted')}
                  >
                    Delete
                  </button>
                ),
              },
            ]}
            empty="No alerts yet"
          />
        </>
      )}
      {tab === 'alerts' && creating && (
        <AlertForm
          destinations={destinations}
          onCancel={() => setCreating(false)}
          onSubmit={(alert) =>
            act(api.createAlert(org, alert), 'Alert saved').then(() => setCreating(false))
          }
        />
      )}
      {tab === 'destinations' && (
        <DestinationsTab
          destinations={destinations}
          templates={templates.map((t) => t.name)}
          onCreate={(d) => act(api.createDestination(org, d), 'Destination saved')}
        />
      )}
      {tab === 'templates' && (
        <TemplatesTab
          templates={templates}
          onCreate={(t) => act(api.createTemplate(org, t), 'Template saved')}
        />
      )}
      {tab === 'history' && <HistoryTab history={history} />}
    </div>
  );
}
