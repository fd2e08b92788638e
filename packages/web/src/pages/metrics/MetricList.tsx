import { useState } from 'react';
import type { MetricInfo } from '../../editor/promql-source';

interface Props {
  metrics: MetricInfo[];
  selected: string;
  onSelect: (name: string) => void;
}

/** The metric selector: a searchable list of metric streams with type badge and help text. */
export function MetricList({ metrics, selected, onSelect }: Props) {
  const [filter, setFilter] = useState('');
  const shown = metrics.filter((m) => m.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div className="metric-list" data-test="metrics-list">
      <input
        className="metric-list-search"
        data-test="metrics-list-search-input"
        aria-label="Search metrics"
        placeholder="Search metric"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
      />
      <ul role="listbox" aria-label="Metrics">
        {shown.map((m) => (
          <li
            key={m.name}
            role="option"
            tabIndex={0}
            aria-selected={m.name === selected}
            data-state={m.name === selected ? 'checked' : 'unchecked'}
            data-test={`metrics-list-item-${m.name}`}
            title={m.help}
            onClick={() => onSelect(m.name)}
            onKeyDown={(event) => event.key === 'Enter' && onSelect(m.name)}
          >
            <span className="metric-name">{m.name}</span>
            <span
              className={`metric-type metric-type-${m.type}`}
              data-test="metrics-list-item-type"
            >
              {m.type}
            </span>
            {m.help !== '' && (
              <span className="metric-help" data-test="metrics-list-item-help">
                {m.help}
              </span>
            )}
          </li>
        ))}
        {shown.length === 0 && <li className="metric-empty">No metrics</li>}
      </ul>
    </div>
  );
}
