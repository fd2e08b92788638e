import { useMemo, useState } from 'react';
import { useSession } from '../../app/session';
import { Drawer } from '../../components/Drawer';
import { PanelChart } from '../../components/PanelChart';
import { Select } from '../../components/Select';
import { Toast } from '../../components/Toast';
import { CHART_TYPES, builderSql, defaultFields, newPanel } from '../../panels/panel-factory';
import { usePanelData } from '../../panels/usePanelData';
import { AddToDashboard } from '../metrics/AddToDashboard';
import { looksLikeSql } from './query';
import '../dashboards/dashboards.css';
import '../metrics/metrics.css';

interface Props {
  org: string;
  stream: string;
  /** The logs query: SQL, or a quick-mode WHERE filter. */
  text: string;
  range: { start: number; end: number };
  dark: boolean;
  onClose: () => void;
}

/** Counts per time bucket of the stream, with the quick-mode filter as the WHERE clause. */
export function visualizeSql(stream: string, text: string): string {
  if (looksLikeSql(text)) return text.trim();
  const sql = builderSql(defaultFields(stream, 'logs'));
  const filter = text.trim();
  return filter === '' ? sql : sql.replace(' GROUP BY ', ` WHERE ${filter} GROUP BY `);
}

/**
 * The logs page's "visualize" mode: the current query as a chart panel (the same panel schema as
 * dashboards), with a chart type and "add to dashboard".
 */
export function VisualizeDrawer({ org, stream, text, range, dark, onClose }: Props) {
  const { config } = useSession();
  const [type, setType] = useState('bar');
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState(false);
  const sql = visualizeSql(stream, text);
  const panel = useMemo(
    () => newPanel({ type, queryType: 'sql', title: '', query: sql }),
    [type, sql],
  );
  const data = usePanelData(
    panel,
    {
      org,
      startUs: range.start,
      endUs: range.end,
      variables: new Map(),
      placeholder: config.dashboard_placeholder,
    },
    `${sql}|${range.start}|${range.end}`,
  );
  return (
    <Drawer dataTest="logs-visualize-drawer" title="Visualize" onClose={onClose}>
      <div className="toolbar">
        <Select
          dataTest="logs-visualize-chart-type"
          ariaLabel="Chart type"
          value={type}
          options={CHART_TYPES.map((t) => ({ ...t }))}
          onChange={setType}
        />
        <button
          type="button"
          className="btn"
          data-test="logs-visualize-add-to-dashboard"
          onClick={() => setAdding(true)}
        >
          Add to dashboard
        </button>
      </div>
      <pre className="generated-sql" data-test="logs-visualize-sql">
        {sql}
      </pre>
      <div className="panel-editor-preview">
        {data.status === 'error' && <Toast variant="error" message={data.error} />}
        {data.status !== 'error' && data.data !== undefined && (
          <PanelChart look={{ type, showLegend: true }} data={data.data} dark={dark} />
        )}
      </div>
      {added && <Toast variant="success" message="Panel added to dashboard" />}
      {adding && (
        <AddToDashboard
          org={org}
          panel={panel}
          onDone={(done) => {
            setAdding(false);
            setAdded(done !== undefined);
          }}
        />
      )}
    </Drawer>
  );
}
