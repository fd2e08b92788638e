import { useState } from 'react';
import type { DashboardV8, Tab } from '@o2/dashboards';
import { nextLayout } from '@o2/dashboards';
import { TextInput } from '../../components/TextInput';

interface Props {
  dashboard: DashboardV8;
  onSave: (next: DashboardV8) => Promise<unknown>;
}

/** A tab id like O2's: short, random, unique in the dashboard. */
function newTabId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = Math.random().toString(36).slice(2, 10);
    if (!taken.has(id)) return id;
  }
}

/**
 * Tabs settings (UI-SPEC §7.4): add, rename and delete tabs. Deleting a tab moves its panels to
 * the first remaining tab (below what is there), so no panel is lost by it.
 */
export function TabsSettings({ dashboard, onSave }: Props) {
  const tabs = dashboard.tabs ?? [];
  const [name, setName] = useState('');
  const [names, setNames] = useState<Record<string, string>>({});
  const withTabs = (next: Tab[]) => onSave({ ...dashboard, tabs: next });

  const remove = (tabId: string) => {
    const gone = tabs.find((t) => t.tabId === tabId);
    const rest = tabs.filter((t) => t.tabId !== tabId);
    const target = rest[0];
    if (gone === undefined || target === undefined) return;
    const moved = [...(target.panels ?? [])];
    for (const panel of gone.panels ?? []) moved.push({ ...panel, layout: nextLayout(moved) });
    void withTabs([{ ...target, panels: moved }, ...rest.slice(1)]);
  };

  return (
    <div className="form-stack" data-test="dashboard-tabs-settings">
      {tabs.map((t) => (
        <div key={t.tabId} className="variable-row" data-test={`dashboard-tab-row-${t.tabId}`}>
          <TextInput
            dataTest={`dashboard-tab-name-${t.tabId}`}
            label="Name"
            value={names[t.tabId] ?? t.name}
            onChange={(v) => setNames({ ...names, [t.tabId]: v })}
            onBlur={() => {
              const next = (names[t.tabId] ?? t.name).trim();
              if (next !== '' && next !== t.name)
                void withTabs(tabs.map((x) => (x.tabId === t.tabId ? { ...x, name: next } : x)));
            }}
          />
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-test="dashboard-tab-delete"
            disabled={tabs.length < 2}
            onClick={() => remove(t.tabId)}
          >
            Delete
          </button>
        </div>
      ))}
      <TextInput
        dataTest="dashboard-tab-new-name"
        label="New tab"
        value={name}
        onChange={setName}
      />
      <button
        type="button"
        className="btn btn-primary"
        data-test="dashboard-tab-add-btn"
        disabled={name.trim() === ''}
        onClick={() => {
          const tabId = newTabId(new Set(tabs.map((t) => t.tabId)));
          void withTabs([...tabs, { tabId, name: name.trim(), panels: [] }]).then(() =>
            setName(''),
          );
        }}
      >
        Add Tab
      </button>
    </div>
  );
}
