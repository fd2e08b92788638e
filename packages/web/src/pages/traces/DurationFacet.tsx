import { useEffect, useState } from 'react';
import { tracesApi } from '../../api/traces';
import type { Window } from '../../api/traces';
import { useOrg } from '../../app/org';
import { formatDuration } from './span-tree';
import { PERCENTILES, percentilesSql } from './trace-urls';

interface Props {
  stream: string;
  filter: string;
  range: () => Window;
  /** Adds `duration>=X` (at least) or `duration<=X` to the filter and runs it. */
  onFilter: (clause: string) => void;
}

/**
 * The duration facet's body (UI-SPEC §8.1, Jaeger-style min/max): span duration percentiles
 * under the current filter, each with one-click `duration>=` / `duration<=` filters.
 */
export function DurationFacet({ stream, filter, range, onFilter }: Props) {
  const org = useOrg();
  const [values, setValues] = useState<number[] | { error: string } | undefined>();
  useEffect(() => {
    let current = true;
    tracesApi.search(org, percentilesSql(stream, filter), range(), 1).then(
      (answer) => {
        const row = answer.hits[0] ?? {};
        if (current) setValues(PERCENTILES.map((p) => Math.round(Number(row[`p${p}`] ?? 0))));
      },
      (error: unknown) =>
        current && setValues({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
    // Loaded when the facet opens; the range is read then.
  }, [org, stream, filter]);

  return (
    <ul className="field-values" data-test="traces-duration-percentiles">
      {values === undefined && <li aria-busy="true">…</li>}
      {values !== undefined && 'error' in values && <li role="alert">{values.error}</li>}
      {Array.isArray(values) &&
        PERCENTILES.map((p, i) => (
          <li key={p} data-test={`traces-duration-p${p}`}>
            <span className="value-text">P{p}</span>
            <span className="value-count">{formatDuration(values[i]!)}</span>
            <button
              type="button"
              className="btn-icon"
              title={`duration >= ${values[i]} µs`}
              data-test={`traces-duration-p${p}-min-btn`}
              onClick={() => onFilter(`duration>=${values[i]}`)}
            >
              ≥
            </button>
            <button
              type="button"
              className="btn-icon"
              title={`duration <= ${values[i]} µs`}
              data-test={`traces-duration-p${p}-max-btn`}
              onClick={() => onFilter(`duration<=${values[i]}`)}
            >
              ≤
            </button>
          </li>
        ))}
    </ul>
  );
}
