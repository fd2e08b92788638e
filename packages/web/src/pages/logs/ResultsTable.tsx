import { useState } from 'react';

interface Props {
  hits: Array<Record<string, unknown>>;
  /** Opens the detail drawer for a row. */
  onOpen: (hit: Record<string, unknown>) => void;
  /** Fields shown as their own columns; none → the whole record as `source`. */
  columns: string[];
}

const cell = (value: unknown) =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

function timestamp(hit: Record<string, unknown>): string {
  const us = hit['_timestamp'];
  return typeof us === 'number' ? new Date(us / 1000).toISOString() : '';
}

/** Results: time and the record as one line; a row expands to its pretty JSON. */
export function ResultsTable({ hits, onOpen, columns }: Props) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (i: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  return (
    <table className="o2-table logs-table" data-test="logs-search-result-logs-table">
      <thead>
        <tr>
          <th />
          <th data-test="o2-table-th-_timestamp">_timestamp</th>
          {columns.length === 0 ? (
            <th data-test="o2-table-th-source">source</th>
          ) : (
            columns.map((c) => (
              <th key={c} data-test={`o2-table-th-${c}`}>
                {c}
              </th>
            ))
          )}
        </tr>
      </thead>
      <tbody>
        {hits.map((hit, i) => {
          const { _timestamp: _ts, ...rest } = hit;
          return [
            <tr key={`row-${i}`} data-test={`o2-table-row-${i}`}>
              <td>
                <button
                  type="button"
                  className="btn-icon"
                  aria-expanded={open.has(i)}
                  data-test={`o2-table-expand-${i}`}
                  onClick={() => toggle(i)}
                >
                  {open.has(i) ? '▾' : '▸'}
                </button>
              </td>
              <td data-test="o2-table-cell-_timestamp" className="nowrap">
                {timestamp(hit)}
              </td>
              {columns.length === 0 ? (
                <td
                  data-test="o2-table-cell-source"
                  className="log-source log-row-open"
                  onClick={() => onOpen(hit)}
                >
                  {JSON.stringify(rest)}
                </td>
              ) : (
                columns.map((c) => (
                  <td
                    key={c}
                    data-test={`o2-table-cell-${c}`}
                    className="log-source log-row-open"
                    onClick={() => onOpen(hit)}
                  >
                    {cell(hit[c])}
                  </td>
                ))
              )}
            </tr>,
            open.has(i) ? (
              <tr key={`json-${i}`} data-test={`o2-table-json-${i}`}>
                <td />
                <td colSpan={Math.max(1, columns.length) + 1}>
                  <pre className="json-view">{JSON.stringify(hit, null, 2)}</pre>
                </td>
              </tr>
            ) : null,
          ];
        })}
      </tbody>
    </table>
  );
}
