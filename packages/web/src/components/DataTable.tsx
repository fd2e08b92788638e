import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';

export interface Column<Row> {
  /** The column's field: `o2-table-th-<key>` and `o2-table-cell-<key>`. */
  key: string;
  label: string;
  render: (row: Row) => ReactNode;
  /** Present → the column sorts on this value. */
  sortValue?: (row: Row) => string | number;
  align?: 'left' | 'right';
}

interface Props<Row> {
  dataTest: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  initialSort?: { key: string; asc: boolean };
  empty?: ReactNode;
}

/**
 * A sortable table with O2's automation ids (`o2-table-th-<field>`, `o2-table-row-<i>`,
 * `o2-table-cell-<column>`); `aria-sort` tells which column orders the rows.
 */
export function DataTable<Row>(props: Props<Row>) {
  const { columns, rows, rowKey, dataTest } = props;
  const [sort, setSort] = useState(props.initialSort);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort?.key);
    const value = column?.sortValue;
    if (value === undefined || sort === undefined) return rows;
    const direction = sort.asc ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      return (x < y ? -1 : x > y ? 1 : 0) * direction;
    });
  }, [rows, columns, sort]);

  return (
    <table className="o2-table" data-test={dataTest}>
      <thead>
        <tr>
          {columns.map((c) => {
            const active = sort?.key === c.key;
            const ariaSort = active ? (sort.asc ? 'ascending' : 'descending') : undefined;
            return (
              <th
                key={c.key}
                data-test={`o2-table-th-${c.key}`}
                aria-sort={ariaSort}
                className={c.align === 'right' ? 'num' : undefined}
              >
                {c.sortValue === undefined ? (
                  c.label
                ) : (
                  <button
                    type="button"
                    className="th-sort"
                    onClick={() => setSort({ key: c.key, asc: active ? !sort.asc : true })}
                  >
                    {c.label}
                    <span aria-hidden="true">{active ? (sort.asc ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {sorted.length === 0 && (
          <tr>
            <td colSpan={columns.length} className="o2-table-empty" data-test="o2-table-empty">
              {props.empty ?? 'No data'}
            </td>
          </tr>
        )}
        {sorted.map((row, index) => (
          <tr key={rowKey(row)} data-test={`o2-table-row-${index}`}>
            {columns.map((c) => (
              <td
                key={c.key}
                data-test={`o2-table-cell-${c.key}`}
                className={c.align === 'right' ? 'num' : undefined}
              >
                {c.render(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
