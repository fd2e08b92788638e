import { useState } from 'react';
import type { Panel } from '@o2/dashboards';
import { PanelChart } from '../../components/PanelChart';
import { finalQueries } from '../../panels/run-panel';
import type { PanelRun } from '../../panels/run-panel';
import { usePanelData } from '../../panels/usePanelData';

interface Props {
  panel: Panel;
  run: Omit<PanelRun, 'signal'>;
  refreshKey: string;
  dark: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onDuplicate: () => void;
}

/** A panel on the grid: title, menu (edit, refresh, query inspector, delete) and its chart. */
export function PanelCard(props: Props) {
  const { panel, run, refreshKey, dark, onEdit, onDelete, onDuplicate } = props;
  const [menu, setMenu] = useState(false);
  const [inspect, setInspect] = useState(false);
  const [tick, setTick] = useState(0);
  const data = usePanelData(
    panel,
    run,
    `${refreshKey}|${JSON.stringify(panel.queries)}|${panel.queryType}|${tick}`,
  );
  const c = panel.config;
  return (
    <>
      <header data-test="dashboard-panel-header" title={panel.description}>
        <span data-test="dashboard-panel-title">{panel.title}</span>
        <span>
          {data.status === 'loading' && (
            <span aria-busy="true" data-test="dashboard-panel-loading">
              …
            </span>
          )}
          <button
            type="button"
            className="btn btn-icon btn-small"
            aria-label="Panel menu"
            aria-expanded={menu}
            data-test={`dashboard-edit-panel-${panel.title}-dropdown`}
            onPointerDown={(e) => e.stopPropagation()}
            onClick={() => setMenu(!menu)}
          >
            ⋮
          </button>
        </span>
      </header>
      {menu && (
        <div
          className="panel-menu"
          role="menu"
          data-state="open"
          onPointerDown={(e) => e.stopPropagation()}
        >
          <button type="button" role="menuitem" data-test="dashboard-edit-panel" onClick={onEdit}>
            Edit
          </button>
          <button
            type="button"
            role="menuitem"
            data-test="dashboard-refresh-panel"
            onClick={() => {
              setTick(tick + 1);
              setMenu(false);
            }}
          >
            Refresh
          </button>
          <button
            type="button"
            role="menuitem"
            data-test="dashboard-query-inspector-panel"
            onClick={() => {
              setInspect(!inspect);
              setMenu(false);
            }}
          >
            Query Inspector
          </button>
          <button
            type="button"
            role="menuitem"
            data-test="dashboard-duplicate-panel"
            onClick={() => {
              setMenu(false);
              onDuplicate();
            }}
          >
            Duplicate
          </button>
          <button
            type="button"
            role="menuitem"
            data-test="dashboard-delete-panel"
            onClick={() => {
              setMenu(false);
              onDelete();
            }}
          >
            Delete
          </button>
        </div>
      )}
      {inspect && (
        <pre className="panel-inspector" data-test="dashboard-query-inspector">
          {finalQueries(panel, run).join('\n')}
        </pre>
      )}
      <div className="panel-body">
        {data.status === 'error' && (
          <div className="panel-error" role="alert" data-test="dashboard-panel-error">
            {data.error}
          </div>
        )}
        {data.status !== 'error' && data.data !== undefined && (
          <PanelChart
            look={{
              type: panel.type,
              unit: c.unit,
              unitCustom: c.unit_custom,
              decimals: c.decimals,
              showLegend: c.show_legends,
              legendPosition: c.legends_position,
            }}
            data={data.data}
            dark={dark}
          />
        )}
      </div>
    </>
  );
}
