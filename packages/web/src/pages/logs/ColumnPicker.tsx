import { useEffect, useRef, useState } from 'react';

interface Props {
  fields: string[];
  columns: string[];
  onToggle: (field: string) => void;
}

/** "Columns": every field of the stream with a checkbox; a checked field is a table column. */
export function ColumnPicker({ fields, columns, onToggle }: Props) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const shown = fields.filter(
    (f) => f !== '_timestamp' && f.toLowerCase().includes(filter.toLowerCase()),
  );
  return (
    <div className="column-picker" ref={root}>
      <button
        type="button"
        className="btn"
        data-test="logs-table-columns-btn"
        aria-haspopup="dialog"
        aria-expanded={open}
        data-state={open ? 'open' : 'closed'}
        onClick={() => setOpen(!open)}
      >
        Columns{columns.length > 0 ? ` (${columns.length})` : ''}
      </button>
      {open && (
        <div className="o-select-popover" data-test="logs-table-columns-popover" role="dialog">
          <input
            className="o-select-search"
            data-test="logs-table-columns-search"
            aria-label="Search field"
            placeholder="Search field"
            value={filter}
            autoFocus
            onChange={(e) => setFilter(e.target.value)}
          />
          <ul>
            {shown.map((f) => (
              <li key={f}>
                <label>
                  <input
                    type="checkbox"
                    data-test={`logs-table-column-${f}`}
                    data-state={columns.includes(f) ? 'checked' : 'unchecked'}
                    checked={columns.includes(f)}
                    onChange={() => onToggle(f)}
                  />{' '}
                  {f}
                </label>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
