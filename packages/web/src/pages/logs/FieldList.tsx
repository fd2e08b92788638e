import { useState } from 'react';
import type { ReactNode } from 'react';
import type { SchemaFieldJson, ValuesResponse } from '@o2/api-schemas';
import { api } from '../../api/endpoints';
import { useOrg } from '../../app/org';

interface Props {
  stream: string;
  fields: SchemaFieldJson[];
  range: () => { start: number; end: number };
  onFilter: (field: string, value: unknown, negate: boolean) => void;
  /** Table columns; without `onToggleColumn` (the traces facets) rows have no column button. */
  columns?: string[];
  onToggleColumn?: (field: string) => void;
  /** Where the top values come from (default: the logs stream's `_values`). */
  loadValues?: (field: string) => Promise<ValuesResponse>;
  /** A field whose expanded body is not a top-values list (the traces' duration percentiles). */
  customBody?: (field: string) => ReactNode | undefined;
}

type Values = ValuesResponse['hits'][number]['values'];

/** The stream's fields; a click shows the top values (`_values`) with include/exclude buttons. */
export function FieldList(props: Props) {
  const { stream, fields, range, onFilter, columns = [], onToggleColumn } = props;
  const org = useOrg();
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<string | undefined>();
  const [values, setValues] = useState<Values | { error: string } | 'loading'>('loading');

  const expand = (field: string) => {
    if (open === field) return setOpen(undefined);
    setOpen(field);
    setValues('loading');
    if (props.customBody?.(field) !== undefined) return;
    const load = props.loadValues ?? ((f: string) => api.values(org, stream, f, range()));
    load(field).then(
      (answer) => setValues(answer.hits.find((h) => h.field === field)?.values ?? []),
      (error: unknown) =>
        setValues({ error: error instanceof Error ? error.message : String(error) }),
    );
  };

  return (
    <aside className="field-list" aria-label="Fields">
      <input
        className="o-select-search"
        data-test="o-field-list-search"
        placeholder="Search field"
        aria-label="Search field"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <ul>
        {fields
          .filter((f) => f.name.toLowerCase().includes(filter.toLowerCase()))
          .map((f) => (
            <li key={f.name} data-test={`o-field-list-row-${f.name}`}>
              <button
                type="button"
                className="field-name"
                aria-expanded={open === f.name}
                onClick={() => expand(f.name)}
              >
                {f.name}
              </button>
              {onToggleColumn !== undefined && (
                <button
                  type="button"
                  className="btn-icon field-column-btn"
                  aria-pressed={columns.includes(f.name)}
                  data-state={columns.includes(f.name) ? 'on' : 'off'}
                  data-test="logs-field-add-column-btn"
                  title={columns.includes(f.name) ? 'Remove from table' : 'Add to table'}
                  onClick={() => onToggleColumn(f.name)}
                >
                  {columns.includes(f.name) ? '−' : '+'}
                </button>
              )}
              {open === f.name && props.customBody?.(f.name)}
              {open === f.name && props.customBody?.(f.name) === undefined && (
                <ul className="field-values" data-test={`logs-field-values-${f.name}`}>
                  {values === 'loading' && <li aria-busy="true">…</li>}
                  {typeof values === 'object' && 'error' in values && (
                    <li role="alert">{values.error}</li>
                  )}
                  {Array.isArray(values) &&
                    values.map((v) => (
                      <li
                        key={String(v.zo_sql_key)}
                        data-test="logs-field-value"
                        data-test-value={String(v.zo_sql_key)}
                      >
                        <span className="value-text">{String(v.zo_sql_key)}</span>
                        <span className="value-count">{v.zo_sql_num}</span>
                        <button
                          type="button"
                          className="btn-icon"
                          title="Include"
                          data-test="logs-field-value-include-btn"
                          onClick={() => onFilter(f.name, v.zo_sql_key, false)}
                        >
                          =
                        </button>
                        <button
                          type="button"
                          className="btn-icon"
                          title="Exclude"
                          data-test="logs-field-value-exclude-btn"
                          onClick={() => onFilter(f.name, v.zo_sql_key, true)}
                        >
                          ≠
                        </button>
                      </li>
                    ))}
                </ul>
              )}
            </li>
          ))}
      </ul>
    </aside>
  );
}
