import { useState } from 'react';
import { prom } from '../../api/prometheus';
import { useAsync } from '../../app/useAsync';

interface Props {
  org: string;
  metric: string;
  range: () => { start: number; end: number };
  /** A value was clicked: add or replace `label="value"` in the query. */
  onPick: (label: string, value: string) => void;
}

/** The selected metric's labels, each expandable to its values (`label/<l>/values?match[]=`). */
export function LabelBrowser({ org, metric, range, onPick }: Props) {
  const labels = useAsync(() => {
    const { start, end } = range();
    return prom.labels(org, metric, start, end);
  }, [org, metric]);
  const [open, setOpen] = useState<string | undefined>();
  if (labels.status !== 'ready') return <div className="label-browser" aria-busy="true" />;
  return (
    <div className="label-browser" data-test="metrics-label-browser">
      <h3>Labels of {metric}</h3>
      <ul>
        {labels.data
          .filter((l) => l !== '__name__')
          .map((label) => (
            <li key={label} data-test={`metrics-label-${label}`}>
              <button
                type="button"
                className="label-name"
                aria-expanded={open === label}
                data-state={open === label ? 'open' : 'closed'}
                onClick={() => setOpen(open === label ? undefined : label)}
              >
                {label}
              </button>
              {open === label && <LabelValues {...{ org, metric, label, range, onPick }} />}
            </li>
          ))}
      </ul>
    </div>
  );
}

function LabelValues(props: Props & { label: string }) {
  const { org, metric, label, range, onPick } = props;
  const values = useAsync(() => {
    const { start, end } = range();
    return prom.labelValues(org, label, metric, start, end);
  }, [org, metric, label]);
  if (values.status !== 'ready') return <div aria-busy="true">Loading…</div>;
  return (
    <ul className="label-values">
      {values.data.map((value) => (
        <li key={value}>
          <button
            type="button"
            data-test={`metrics-label-value-${value}`}
            onClick={() => onPick(label, value)}
          >
            {value}
          </button>
        </li>
      ))}
    </ul>
  );
}
