import { useEffect, useRef, useState } from 'react';
import { Select } from '../../components/Select';
import type { VariablesState } from './useVariables';

/**
 * The variables bar (UI-SPEC §7.4): a dropdown per query/custom variable (multi-select with
 * "All"), a text box per textbox variable; constants and hidden ones are not shown.
 */
export function VariablesBar({
  state,
  placeholder,
}: {
  state: VariablesState;
  placeholder: string;
}) {
  return (
    <div className="variables-bar" data-test="dashboard-variables-bar" aria-busy={state.loading}>
      {state.list
        .filter((v) => v.type !== 'constant' && v.hideOnDashboard !== true)
        .map((v) => {
          const name = v.name ?? '';
          const value = state.values.get(name) ?? '';
          const label = v.label || name;
          if (v.type === 'textbox')
            return (
              <label key={name} className="variable" data-test={`dashboard-variable-${name}`}>
                {label}
                <TextboxValue
                  value={typeof value === 'string' ? value : value.join(',')}
                  onCommit={(t) => state.set(name, t)}
                  name={name}
                />
              </label>
            );
          const options = state.options.get(name) ?? [];
          if (v.multiSelect === true)
            return (
              <div key={name} className="variable" data-test={`dashboard-variable-${name}`}>
                {label}
                <MultiSelect
                  name={name}
                  options={options}
                  value={typeof value === 'string' ? [value] : [...value]}
                  placeholder={placeholder}
                  onChange={(next) => state.set(name, next)}
                />
              </div>
            );
          return (
            <div key={name} className="variable" data-test={`dashboard-variable-${name}`}>
              {label}
              <Select
                dataTest={`dashboard-variable-${name}-select`}
                ariaLabel={label}
                searchable
                value={typeof value === 'string' ? value : (value[0] ?? '')}
                options={options.map((o) => ({ value: o, label: o }))}
                onChange={(next) => state.set(name, next)}
              />
            </div>
          );
        })}
    </div>
  );
}

function TextboxValue({
  name,
  value,
  onCommit,
}: {
  name: string;
  value: string;
  onCommit: (v: string) => void;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <input
      data-test={`dashboard-variable-${name}-input`}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onBlur={() => text !== value && onCommit(text)}
      onKeyDown={(event) => event.key === 'Enter' && onCommit(text)}
    />
  );
}

interface MultiProps {
  name: string;
  options: string[];
  value: string[];
  placeholder: string;
  onChange: (value: string[]) => void;
}

/** Checkboxes with "All" (the placeholder): picking a value leaves All; none picked is All. */
function MultiSelect({ name, options, value, placeholder, onChange }: MultiProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const all = value.includes(placeholder) || value.length === 0;
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) =>
      !root.current?.contains(event.target as Node) && setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const toggle = (option: string) => {
    const picked = all ? [] : value;
    const next = picked.includes(option) ? picked.filter((v) => v !== option) : [...picked, option];
    onChange(next.length === 0 ? [placeholder] : next);
  };
  const id = `dashboard-variable-${name}-select`;
  return (
    <div className="o-select" data-test={id} ref={root}>
      <button
        type="button"
        className="o-select-trigger"
        data-test={`${id}-trigger`}
        aria-expanded={open}
        data-state={open ? 'open' : 'closed'}
        onClick={() => setOpen(!open)}
      >
        {all ? 'All' : value.join(', ')}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <div className="o-select-popover" data-test={`${id}-popover`} data-state="open">
          <ul role="listbox" aria-multiselectable="true" aria-label={name}>
            <li
              role="option"
              aria-selected={all}
              data-state={all ? 'checked' : 'unchecked'}
              data-test={`${id}-option`}
              data-test-value={placeholder}
              data-test-label="All"
              onClick={() => onChange([placeholder])}
            >
              <input type="checkbox" readOnly checked={all} tabIndex={-1} /> All
            </li>
            {options.map((o) => {
              const on = !all && value.includes(o);
              return (
                <li
                  key={o}
                  role="option"
                  aria-selected={on}
                  data-state={on ? 'checked' : 'unchecked'}
                  data-test={`${id}-option`}
                  data-test-value={o}
                  data-test-label={o}
                  onClick={() => toggle(o)}
                >
                  <input type="checkbox" readOnly checked={on} tabIndex={-1} /> {o}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
