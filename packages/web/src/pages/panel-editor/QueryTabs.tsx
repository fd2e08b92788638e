import type { PanelQuery } from '@o2/dashboards';
import { newQuery } from '../../panels/panel-factory';

interface Props {
  queries: PanelQuery[];
  active: number;
  onActive: (index: number) => void;
  onChange: (queries: PanelQuery[]) => void;
}

/** PromQL query tabs (UI-SPEC §7.3): each query draws its own series; add and remove them. */
export function QueryTabs({ queries, active, onActive, onChange }: Props) {
  return (
    <div className="dashboard-tabs" role="tablist" data-test="dashboard-query-tabs">
      {queries.map((_, i) => (
        <span key={i}>
          <button
            type="button"
            role="tab"
            aria-selected={i === active}
            data-state={i === active ? 'active' : 'inactive'}
            data-test={`dashboard-query-tab-${i}`}
            onClick={() => onActive(i)}
          >
            Query {i + 1}
          </button>
          {queries.length > 1 && (
            <button
              type="button"
              aria-label={`Remove query ${i + 1}`}
              data-test={`dashboard-query-tab-remove-${i}`}
              onClick={() => {
                onChange(queries.filter((__, j) => j !== i));
                onActive(Math.max(0, Math.min(active, queries.length - 2)));
              }}
            >
              ✕
            </button>
          )}
        </span>
      ))}
      <button
        type="button"
        data-test="dashboard-query-tab-add"
        aria-label="Add query"
        onClick={() => {
          onChange([...queries, newQuery('promql', '')]);
          onActive(queries.length);
        }}
      >
        +
      </button>
    </div>
  );
}
