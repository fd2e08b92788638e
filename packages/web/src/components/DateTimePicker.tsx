import { useEffect, useRef, useState } from 'react';
import { RELATIVE_UNITS, parsePeriod, periodLabel } from '../app/time-range';
import { allZones, browserZone, formatInZone, zonedParts, zonedToUs } from '../app/time-zone';
import { Select } from './Select';

export type TimeRange =
  | { type: 'relative'; period: string }
  /** µs, half-open. */
  | { type: 'absolute'; from: number; to: number };

interface Props {
  value: TimeRange;
  /** `browser` or an IANA zone; the absolute inputs are read on its wall clock. */
  zone: string;
  onChange: (range: TimeRange) => void;
  onZone: (zone: string) => void;
}

/** The IANA zone a choice stands for (`browser`: the browser's own). */
export const zoneOf = (choice: string) => (choice === 'browser' ? browserZone() : choice);

/**
 * O2's date-time picker with its automation ids: `date-time-btn` opens a popover with the
 * Relative tab (`date-time-relative-<n>-<unit>-btn` presets and a custom value) and the Absolute
 * tab (start/end date and time), the time zone select (`datetime-timezone-select`) and Apply.
 */
export function DateTimePicker({ value, zone, onChange, onZone }: Props) {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<'relative' | 'absolute'>(value.type);
  const tz = zoneOf(zone);
  const root = useRef<HTMLDivElement>(null);
  const now = Date.now() * 1000;
  const initial =
    value.type === 'absolute'
      ? { from: value.from, to: value.to }
      : { from: now - 3_600_000_000, to: now };
  const [start, setStart] = useState(() => zonedParts(initial.from, tz));
  const [end, setEnd] = useState(() => zonedParts(initial.to, tz));
  const period = value.type === 'relative' ? value.period : '';
  const [custom, setCustom] = useState(() => parsePeriod(period) ?? { value: 15, unit: 'm' });

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

  const toggle = () => {
    if (!open) {
      // The inputs start from the range in force, on the chosen zone's clock.
      setTab(value.type);
      setStart(zonedParts(initial.from, tz));
      setEnd(zonedParts(initial.to, tz));
    }
    setOpen(!open);
  };
  const pick = (next: string) => {
    setOpen(false);
    onChange({ type: 'relative', period: next });
  };
  const from = zonedToUs(start.date, start.time, tz);
  const to = zonedToUs(end.date, end.time, tz);
  const absoluteValid = from !== undefined && to !== undefined && to > from;
  const apply = () => {
    if (tab === 'relative') return pick(`${custom.value}${custom.unit}`);
    if (!absoluteValid) return;
    setOpen(false);
    onChange({ type: 'absolute', from, to });
  };

  const label =
    value.type === 'relative'
      ? periodLabel(value.period)
      : `${formatInZone(value.from, tz).slice(0, 19)} - ${formatInZone(value.to, tz).slice(0, 19)}`;
  const zones = [
    { value: 'browser', label: `Browser Time (${browserZone()})` },
    ...allZones().map((z) => ({ value: z, label: z })),
  ];
  const dateInput = (
    id: string,
    part: { date: string; time: string },
    set: (p: { date: string; time: string }) => void,
    key: 'date' | 'time',
  ) => (
    <input
      type={key}
      step={key === 'time' ? 1 : undefined}
      data-test={id}
      aria-label={id.replaceAll('-', ' ')}
      value={part[key]}
      onChange={(e) => set({ ...part, [key]: e.target.value })}
    />
  );

  return (
    <div className="date-time" ref={root}>
      <button
        type="button"
        className="o-select-trigger"
        data-test="date-time-btn"
        data-cy="date-time-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        data-state={open ? 'open' : 'closed'}
        onClick={toggle}
      >
        {label}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <div className="date-time-menu" role="dialog" aria-label="Time range" data-state="open">
          <div role="tablist" className="tabs">
            {(['relative', 'absolute'] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                className={tab === t ? 'btn btn-primary' : 'btn'}
                aria-selected={tab === t}
                data-state={tab === t ? 'active' : 'inactive'}
                data-test={`date-time-${t}-tab`}
                onClick={() => setTab(t)}
              >
                {t === 'relative' ? 'Relative' : 'Absolute'}
              </button>
            ))}
          </div>
          {tab === 'relative' ? (
            <table className="date-time-grid">
              <tbody>
                {RELATIVE_UNITS.map((u) => (
                  <tr key={u.unit}>
                    <th>{u.label}</th>
                    {u.values.map((n) => (
                      <td key={n}>
                        <button
                          type="button"
                          className={period === `${n}${u.unit}` ? 'btn btn-primary' : 'btn'}
                          aria-pressed={period === `${n}${u.unit}`}
                          data-test={`date-time-relative-${n}-${u.unit}-btn`}
                          onClick={() => pick(`${n}${u.unit}`)}
                        >
                          {n}
                        </button>
                      </td>
                    ))}
                  </tr>
                ))}
                <tr>
                  <th>Custom</th>
                  <td colSpan={6} className="date-time-custom">
                    <input
                      type="number"
                      min={1}
                      aria-label="Custom value"
                      data-test="date-time-relative-custom-value"
                      value={custom.value}
                      onChange={(e) =>
                        setCustom({ ...custom, value: Math.max(1, Number(e.target.value) || 1) })
                      }
                    />
                    <select
                      aria-label="Custom unit"
                      data-test="date-time-relative-custom-unit"
                      value={custom.unit}
                      onChange={(e) => setCustom({ ...custom, unit: e.target.value })}
                    >
                      {RELATIVE_UNITS.map((u) => (
                        <option key={u.unit} value={u.unit}>
                          {u.label}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              </tbody>
            </table>
          ) : (
            <div className="date-time-absolute">
              <label>
                Start
                {dateInput('datetime-start-date', start, setStart, 'date')}
                {dateInput('datetime-start-time', start, setStart, 'time')}
              </label>
              <label>
                End
                {dateInput('datetime-end-date', end, setEnd, 'date')}
                {dateInput('datetime-end-time', end, setEnd, 'time')}
              </label>
              {!absoluteValid && (
                <p role="alert" data-test="datetime-absolute-error">
                  The end must be after the start.
                </p>
              )}
            </div>
          )}
          <Select
            dataTest="datetime-timezone-select"
            ariaLabel="Timezone"
            searchable
            value={zone}
            options={zones}
            onChange={onZone}
          />
          <div className="date-time-actions">
            <button
              type="button"
              className="btn btn-primary"
              data-test="date-time-apply-btn"
              disabled={tab === 'absolute' && !absoluteValid}
              onClick={apply}
            >
              Apply
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
