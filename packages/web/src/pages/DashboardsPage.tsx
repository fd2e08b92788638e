import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { dashboardsApi } from '../api/dashboards';
import { downloadText } from '../app/download';
import { useOrg, useOrgPath } from '../app/org';
import { useAsync } from '../app/useAsync';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TextInput } from '../components/TextInput';
import { Toast } from '../components/Toast';
import { newDashboard } from '../panels/panel-factory';
import { FolderSidebar } from './dashboards/FolderSidebar';
import { ImportDialog } from './dashboards/ImportDialog';
import './dashboards/dashboards.css';

type Dialog = 'new' | 'import' | { delete: string; title: string } | undefined;

/**
 * Dashboards list (UI-SPEC §7.1): folder sidebar, table of the folder's dashboards (or of all
 * folders when searching across them), new, import, export and delete.
 */
export default function DashboardsPage() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const folder = params.get('folder') ?? 'default';
  const [search, setSearch] = useState('');
  const [everywhere, setEverywhere] = useState(false);
  const [dialog, setDialog] = useState<Dialog>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const folders = useAsync(() => dashboardsApi.folders(org), [org]);
  const list = useAsync(
    () => dashboardsApi.list(org, everywhere ? undefined : folder),
    [org, folder, everywhere],
  );
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [titleError, setTitleError] = useState<string | undefined>();

  const shown = (list.status === 'ready' ? list.data.dashboards : []).filter((d) =>
    d.title.toLowerCase().includes(search.toLowerCase()),
  );
  const open = (id: string, folderId: string) =>
    void navigate(orgPath('/dashboards/view', { dashboard: id, folder: folderId }));
  const fail = (e: unknown) =>
    setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) });

  const create = async () => {
    if (title.trim() === '') return setTitleError('Name is required');
    try {
      const created = await dashboardsApi.create(
        org,
        folder,
        newDashboard(title.trim(), description),
      );
      setDialog(undefined);
      open(created.dashboard.dashboardId ?? '', folder);
    } catch (e) {
      setTitleError(e instanceof Error ? e.message : String(e));
    }
  };

  const exportOne = async (id: string, name: string) => {
    try {
      downloadText(`${name}.dashboard.json`, await dashboardsApi.exportText(org, id));
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div className="dashboards-page" data-test="dashboards-page">
      <FolderSidebar
        folders={folders.status === 'ready' ? folders.data.list : []}
        selected={folder}
        onSelect={(id) => setParams((p) => ({ ...Object.fromEntries(p), folder: id }))}
        onCreate={async (name, desc) => {
          await dashboardsApi.createFolder(org, name, desc);
          folders.reload();
        }}
        onDelete={async (id) => {
          try {
            await dashboardsApi.deleteFolder(org, id);
            folders.reload();
          } catch (e) {
            fail(e);
          }
        }}
      />
      <section className="dashboards-main">
        <div className="toolbar">
          <h1 className="page-title">Dashboards</h1>
          <input
            className="dashboards-search"
            data-test="dashboard-search"
            aria-label="Search dashboard"
            placeholder="Search dashboard"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <button
            type="button"
            role="switch"
            className="btn"
            aria-checked={everywhere}
            data-state={everywhere ? 'checked' : 'unchecked'}
            data-test="dashboard-search-across-folders"
            onClick={() => setEverywhere(!everywhere)}
          >
            All folders {everywhere ? 'on' : 'off'}
          </button>
          <button
            type="button"
            className="btn"
            data-test="dashboard-import"
            onClick={() => setDialog('import')}
          >
            Import
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-test="dashboard-add"
            onClick={() => setDialog('new')}
          >
            New dashboard
          </button>
        </div>
        {list.status === 'error' && <Toast variant="error" message={list.error} />}
        <table className="o2-table dashboards-table" data-test="dashboard-table">
          <thead>
            <tr>
              {['Name', 'Identifier', 'Description', 'Owner', 'Created', 'Folder', 'Actions'].map(
                (h) => (
                  <th key={h} data-test={`o2-table-th-${h.toLowerCase()}`}>
                    {h}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {shown.map((d, i) => (
              <tr
                key={d.dashboard_id}
                data-test={`o2-table-row-${i}`}
                onClick={() => open(d.dashboard_id, d.folder_id)}
              >
                <td data-test="o2-table-cell-name">{d.title}</td>
                <td data-test="o2-table-cell-identifier">{d.dashboard_id}</td>
                <td data-test="o2-table-cell-description">{d.description}</td>
                <td data-test="o2-table-cell-owner">{d.owner}</td>
                <td data-test="o2-table-cell-created">
                  {d.created.slice(0, 19).replace('T', ' ')}
                </td>
                <td data-test="o2-table-cell-folder">{d.folder_name}</td>
                <td data-test="o2-table-cell-actions" onClick={(event) => event.stopPropagation()}>
                  <button
                    type="button"
                    className="btn btn-small"
                    data-test="dashboard-export"
                    onClick={() => void exportOne(d.dashboard_id, d.title)}
                  >
                    Export
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    data-test="dashboard-delete"
                    onClick={() => setDialog({ delete: d.dashboard_id, title: d.title })}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.status === 'ready' && shown.length === 0 && <p className="empty">No dashboards</p>}
      </section>
      {dialog === 'new' && (
        <ConfirmDialog
          dataTest="dashboard-add-dialog"
          title="New dashboard"
          confirmLabel="Save"
          onCancel={() => setDialog(undefined)}
          onConfirm={() => void create()}
        >
          <div className="form-stack">
            <TextInput
              dataTest="add-dashboard-name"
              label="Name *"
              value={title}
              onChange={setTitle}
              error={titleError}
            />
            <TextInput
              dataTest="add-dashboard-description"
              label="Description"
              value={description}
              onChange={setDescription}
            />
          </div>
        </ConfirmDialog>
      )}
      {dialog === 'import' && (
        <ImportDialog
          onClose={() => {
            setDialog(undefined);
            list.reload();
          }}
          onImport={async (text) => {
            await dashboardsApi.create(org, folder, text);
            setMessage({ ok: true, text: 'Dashboard imported successfully' });
          }}
        />
      )}
      {typeof dialog === 'object' && (
        <ConfirmDialog
          dataTest="dashboard-confirm-delete-dialog"
          title="Delete dashboard"
          confirmLabel="Delete"
          onCancel={() => setDialog(undefined)}
          onConfirm={() => {
            void dashboardsApi.delete(org, dialog.delete).then(() => {
              setDialog(undefined);
              setMessage({ ok: true, text: 'Dashboard deleted successfully.' });
              list.reload();
            }, fail);
          }}
        >
          Are you sure you want to delete {dialog.title}?
        </ConfirmDialog>
      )}
      {message !== undefined && (
        <div className="toast-stack">
          <Toast variant={message.ok ? 'success' : 'error'} message={message.text} />
        </div>
      )}
    </div>
  );
}
