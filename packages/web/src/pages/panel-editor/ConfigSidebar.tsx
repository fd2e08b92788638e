import type { Panel } from '@o2/dashboards';
import { Select } from '../../components/Select';
import { TextInput } from '../../components/TextInput';
import { UNITS } from '../../panels/units';

interface Props {
  panel: Panel;
  /** The query whose PromQL legend template is edited. */
  queryIndex: number;
  onChange: (panel: Panel) => void;
}

const LEGEND_POSITIONS = [
  { value: 'auto', label: 'Auto' },
  { value: 'right', label: 'Right' },
  { value: 'bottom', label: 'Bottom' },
];

/** The config sidebar: description, unit (+ custom), decimals, legend, PromQL legend template. */
export function ConfigSidebar({ panel, queryIndex, onChange }: Props) {
  const config = panel.config;
  const set = (patch: Partial<Panel['config']>) =>
    onChange({ ...panel, config: { ...config, ...patch } });
  const query = panel.queries[queryIndex];
  return (
    <aside className="panel-editor-config" data-test="dashboard-config-sidebar">
      <TextInput
        dataTest="dashboard-config-description"
        label="Description"
        value={panel.description}
        onChange={(description) => onChange({ ...panel, description })}
      />
      <span className="o-input-label">Unit</span>
      <Select
        dataTest="dashboard-config-unit"
        ariaLabel="Unit"
        value={config.unit ?? 'default'}
        options={UNITS.map((u) => ({ ...u }))}
        onChange={(unit) => set({ unit })}
      />
      {config.unit === 'custom' && (
        <TextInput
          dataTest="dashboard-config-custom-unit"
          label="Custom unit"
          value={config.unit_custom ?? ''}
          onChange={(unit_custom) => set({ unit_custom })}
        />
      )}
      <TextInput
        dataTest="dashboard-config-decimals"
        label="Decimals"
        type="number"
        min={0}
        max={10}
        value={String(config.decimals ?? 2)}
        onChange={(text) => set({ decimals: Math.min(10, Math.max(0, Number(text) || 0)) })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          data-test="dashboard-config-show-legend"
          checked={config.show_legends}
          onChange={(event) => set({ show_legends: event.target.checked })}
        />
        Show legends
      </label>
      <span className="o-input-label">Legends position</span>
      <Select
        dataTest="dashboard-config-legend-position"
        ariaLabel="Legends position"
        value={config.legends_position ?? 'auto'}
        options={LEGEND_POSITIONS}
        onChange={(legends_position) => set({ legends_position })}
      />
      {panel.queryType === 'promql' && query !== undefined && (
        <TextInput
          dataTest="dashboard-config-promql-legend"
          label="Legend"
          placeholder="{label} template"
          value={query.config.promql_legend}
          onChange={(promql_legend) =>
            onChange({
              ...panel,
              queries: panel.queries.map((q, i) =>
                i === queryIndex ? { ...q, config: { ...q.config, promql_legend } } : q,
              ),
            })
          }
        />
      )}
    </aside>
  );
}
