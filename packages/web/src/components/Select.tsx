import { useEffect, useRef, useState } from 'react';

export interface Option {
  value: string;
  label: string;
}

interface Props {
  dataTest: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
  /** Shows a filter box (`<id>-search`) above the options. */
  searchable?: boolean;
  ariaLabel: string;
}

/**
 * A select with O2's automation ids: `<id>` wrapper, `<id>-trigger` (aria-expanded),
 * `<id>-popover`, `<id>-option` (data-test-value / data-test-label) and `<id>-search`.
 */
export function Select({ dataTest, value, options, onChange, searchable, ariaLabel }: Props) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  const shown = options.filter((o) => o.label.toLowerCase().includes(filter.toLowerCase()));
  const current = options.find((o) => o.value === value);
  return (
    <div className="o-select" data-test={dataTest} ref={root}>
      <button
        type="button"
        className="o-select-trigger"
        data-test={`${dataTest}-trigger`}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label={ariaLabel}
        data-state={open ? 'open' : 'closed'}
        onClick={() => setOpen(!open)}
      >
        {current?.label ?? value}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <div className="o-select-popover" data-test={`${dataTest}-popover`} data-state="open">
          {searchable === true && (
            <input
              className="o-select-search"
              data-test={`${dataTest}-search`}
              aria-label="Search"
              value={filter}
              autoFocus
              onChange={(event) => setFilter(event.target.value)}
            />
          )}
          <ul role="listbox" aria-label={ariaLabel}>
            {shown.map((option) => (
              <li
                key={option.value}
                role="option"
                aria-selected={option.value === value}
                data-state={option.value === value ? 'checked' : 'unchecked'}
                data-test={`${dataTest}-option`}
                data-test-value={option.value}
                data-test-label={option.label}
                tabIndex={0}
                onClick={() => {
                  setOpen(false);
                  onChange(option.value);
                }}
                onKeyDown={(event) => {
                  if (event.key !== 'Enter') return;
                  setOpen(false);
                  onChange(option.value);
                }}
              >
                {option.label}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
