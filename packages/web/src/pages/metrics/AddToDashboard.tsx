import { useState } from 'react';
import { addPanel } from '@o2/dashboards';
import type { Panel } from '@o2/dashboards';
import { dashboardsApi } from '../../api/dashboards';
import { useAsync } from '../../app/useAsync';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Select } from '../../components/Select';
import { TextInput } from '../../components/TextInput';
import { newDashboard } from '../../panels/panel-factory';

const NEW = '__new__';

interface Props {
  org: string;
  /** The panel to add, less its title (asked here). */
  panel: Omit<Panel, 'title'>;
  onDone: (result: { dashboardId: string; folderId: string } | undefined) => void;
}

/**
 * "Add to dashboard" (UI-SPEC §6): folder → dashboard (or a new one) → panel title → Save. The
 * panel lands in the dashboard's first tab, placed below what is there.
 */
export function AddToDashboard({ org, panel, onDone }: Props) {
  const folders = useAsync(() => dashboardsApi.folders(org), [org]);
  const [folder, setFolder] = useState('default');
  const dashboards = useAsync(() => dashboardsApi.list(org, folder), [org, folder]);
  const list = dashboards.status === 'ready' ? dashboards.data.dashboards : [];
  const [picked, setPicked] = useState<string | undefined>();
  const target = picked ?? list[0]?.dashboard_id ?? NEW;
  const [newTitle, setNewTitle] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<{ field: string; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    if (target === NEW && newTitle.trim() === '')
      return setError({ field: 'dashboard', text: 'Name is required' });
    if (title.trim() === '') return setError({ field: 'panel', text: 'Panel title is required' });
    setBusy(true);
    try {
      const full = { ...panel, title: title.trim() } as Panel;
      let dashboardId: string;
      if (target === NEW) {
        const doc = addPanel(newDashboard(newTitle.trim(), ''), full).dashboard;
        const created = await dashboardsApi.create(org, folder, doc);
        dashboardId = created.dashboard.dashboardId ?? '';
      } else {
        const current = await dashboardsApi.get(org, target);
        await dashboardsApi.update(
          org,
          target,
          current.hash,
          addPanel(current.dashboard, full).dashboard,
        );
        dashboardId = target;
      }
      onDone({ dashboardId, folderId: folder });
    } catch (e) {
      setError({ field: 'save', text: e instanceof Error ? e.message : String(e) });
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      dataTest="metrics-add-to-dashboard-dialog"
      title="Add to dashboard"
      confirmLabel="Save"
      busy={busy}
      onConfirm={() => void save()}
      onCancel={() => onDone(undefined)}
    >
      <div className="form-stack">
        <span className="o-input-label">Folder</span>
        <Select
          dataTest="metrics-add-to-dashboard-folder"
          ariaLabel="Folder"
          value={folder}
          options={(folders.status === 'ready' ? folders.data.list : []).map((f) => ({
            value: f.folderId,
            label: f.name,
          }))}
          onChange={(v) => {
            setFolder(v);
            setPicked(undefined);
          }}
        />
        <span className="o-input-label">Dashboard</span>
        <Select
          dataTest="metrics-add-to-dashboard-dashboard"
          ariaLabel="Dashboard"
          searchable
          value={target}
          options={[
            ...list.map((d) => ({ value: d.dashboard_id, label: d.title })),
            { value: NEW, label: 'New dashboard' },
          ]}
          onChange={setPicked}
        />
        {target === NEW && (
          <TextInput
            dataTest="metrics-new-dashboard-name"
            label="New dashboard name *"
            value={newTitle}
            onChange={setNewTitle}
            error={error?.field === 'dashboard' ? error.text : undefined}
          />
        )}
        <TextInput
          dataTest="metrics-new-dashboard-panel-title"
          label="Panel title *"
          value={title}
          onChange={setTitle}
          error={error?.field === 'panel' ? error.text : undefined}
        />
        {error?.field === 'save' && (
          <span className="o-input-error" role="alert">
            {error.text}
          </span>
        )}
      </div>
    </ConfirmDialog>
  );
}
