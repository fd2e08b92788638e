import { useState } from 'react';
import type { DashboardV8, Variable } from '@o2/dashboards';
import { Drawer } from '../../components/Drawer';
import { TextInput } from '../../components/TextInput';
import { TabsSettings } from './TabsSettings';
import { VariableForm } from './VariableForm';

interface Props {
  org: string;
  dashboard: DashboardV8;
  onSave: (next: DashboardV8) => Promise<unknown>;
  onClose: () => void;
}

/** Dashboard settings (UI-SPEC §7.4): General (title, description) and Variables. */
export function SettingsDrawer({ org, dashboard, onSave, onClose }: Props) {
  const [tab, setTab] = useState<'general' | 'variables' | 'tabs'>('general');
  const [title, setTitle] = useState(dashboard.title);
  const [description, setDescription] = useState(dashboard.description ?? '');
  const [editing, setEditing] = useState<number | 'new' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const list = dashboard.variables?.list ?? [];
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  const saveVariables = (next: Variable[]) =>
    onSave({
      ...dashboard,
      variables: { showDynamicFilters: false, ...(dashboard.variables ?? {}), list: next },
    }).then(() => setEditing(undefined), fail);

  return (
    <Drawer dataTest="dashboard-settings" title="Dashboard Settings" onClose={onClose}>
      <div className="settings-tabs" role="tablist">
        <button
          type="button"
          role="tab"
          className="btn"
          aria-selected={tab === 'general'}
          data-state={tab === 'general' ? 'active' : 'inactive'}
          data-test="dashboard-settings-general-tab"
          onClick={() => setTab('general')}
        >
          General
        </button>
        <button
          type="button"
          role="tab"
          className="btn"
          aria-selected={tab === 'variables'}
          data-state={tab === 'variables' ? 'active' : 'inactive'}
          data-test="dashboard-settings-variable-tab"
          onClick={() => setTab('variables')}
        >
          Variables
        </button>
        <button
          type="button"
          role="tab"
          className="btn"
          aria-selected={tab === 'tabs'}
          data-state={tab === 'tabs' ? 'active' : 'inactive'}
          data-test="dashboard-settings-tab-tab"
          onClick={() => setTab('tabs')}
        >
          Tabs
        </button>
      </div>
      {error !== undefined && (
        <span className="o-input-error" role="alert">
          {error}
        </span>
      )}
      {tab === 'general' && (
        <div className="form-stack">
          <TextInput
            dataTest="dashboard-general-setting-name"
            label="Name"
            value={title}
            onChange={setTitle}
          />
          <TextInput
            dataTest="dashboard-general-setting-description"
            label="Description"
            value={description}
            onChange={setDescription}
          />
          <button
            type="button"
            className="btn btn-primary"
            data-test="dashboard-general-setting-save-btn"
            onClick={() => void onSave({ ...dashboard, title, description }).catch(fail)}
          >
            Save
          </button>
        </div>
      )}
      {tab === 'tabs' && (
        <TabsSettings dashboard={dashboard} onSave={(next) => onSave(next).catch(fail)} />
      )}
      {tab === 'variables' && editing === undefined && (
        <div data-test="dashboard-variables-list">
          {list.map((v, i) => (
            <div
              key={v.name ?? i}
              className="variable-row"
              data-test={`dashboard-variable-row-${v.name ?? ''}`}
            >
              <span>
                {v.name} <small>({v.type})</small>
              </span>
              <span>
                <button
                  type="button"
                  className="btn btn-small"
                  data-test="dashboard-edit-variable"
                  onClick={() => setEditing(i)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  data-test="dashboard-delete-variable"
                  onClick={() => void saveVariables(list.filter((_, j) => j !== i))}
                >
                  Delete
                </button>
              </span>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-primary"
            data-test="dashboard-add-variable-btn"
            onClick={() => setEditing('new')}
          >
            Add Variable
          </button>
        </div>
      )}
      {tab === 'variables' && editing !== undefined && (
        <VariableForm
          org={org}
          initial={editing === 'new' ? undefined : list[editing]}
          taken={list.filter((_, j) => j !== editing).map((v) => v.name ?? '')}
          onCancel={() => setEditing(undefined)}
          onSave={(v) =>
            void saveVariables(
              editing === 'new' ? [...list, v] : list.map((x, j) => (j === editing ? v : x)),
            )
          }
        />
      )}
    </Drawer>
  );
}
