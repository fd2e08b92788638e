import { useState } from 'react';
import type { FormEvent } from 'react';
import type { AlertDestination } from '@o2/api-schemas';
import { TextInput } from '../../components/TextInput';

const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'contains', 'not_contains'] as const;

interface Props {
  destinations: AlertDestination[];
  onSubmit: (alert: object) => Promise<void>;
  onCancel: () => void;
}

/**
 * Create an alert (UI-SPEC §9): setup, one condition (`field op value`, or SQL), threshold,
 * period, frequency, silence and destinations. The server checks everything again.
 */
export function AlertForm({ destinations, onSubmit, onCancel }: Props) {
  const [name, setName] = useState('');
  const [streamType, setStreamType] = useState('logs');
  const [stream, setStream] = useState('');
  const [realTime, setRealTime] = useState(false);
  const [mode, setMode] = useState<'custom' | 'sql'>('custom');
  const [column, setColumn] = useState('');
  const [operator, setOperator] = useState<string>('=');
  const [value, setValue] = useState('');
  const [sql, setSql] = useState('');
  const [thresholdOp, setThresholdOp] = useState('>=');
  const [threshold, setThreshold] = useState('1');
  const [period, setPeriod] = useState('10');
  const [frequency, setFrequency] = useState('1');
  const [silence, setSilence] = useState('10');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const conditions =
      column.trim() === ''
        ? []
        : [
            {
              column,
              operator,
              value: Number.isFinite(Number(value)) && value !== '' ? Number(value) : value,
            },
          ];
    const alert = {
      name,
      stream_type: streamType,
      stream_name: stream,
      is_real_time: realTime,
      query_condition:
        mode === 'sql' && !realTime ? { type: 'sql', sql } : { type: 'custom', conditions },
      trigger_condition: {
        operator: thresholdOp,
        threshold: Number(threshold),
        period: Number(period),
        frequency: Number(frequency),
        silence: Number(silence),
      },
      destinations: chosen,
    };
    onSubmit(alert).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <form className="alert-form" data-test="add-alert-form" onSubmit={submit}>
      <h2>Setup</h2>
      <TextInput dataTest="add-alert-name-input" label="Name" value={name} onChange={setName} />
      <label className="o-input">
        <span className="o-input-label">Stream type</span>
        <select
          data-test="add-alert-stream-type-select"
          value={streamType}
          onChange={(e) => setStreamType(e.target.value)}
        >
          {['logs', 'metrics', 'traces'].map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <TextInput
        dataTest="add-alert-stream-input"
        label="Stream"
        value={stream}
        onChange={setStream}
      />
      <label>
        <input
          type="checkbox"
          data-test="add-alert-realtime"
          checked={realTime}
          onChange={(e) => setRealTime(e.target.checked)}
        />{' '}
        Real-time (evaluated on ingest)
      </label>
      <h2>Conditions</h2>
      {!realTime && (
        <label className="o-input">
          <span className="o-input-label">Query</span>
          <select
            data-test="add-alert-query-mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as 'custom' | 'sql')}
          >
            <option value="custom">Builder</option>
            <option value="sql">SQL</option>
          </select>
        </label>
      )}
      {mode === 'sql' && !realTime ? (
        <TextInput dataTest="add-alert-sql-input" label="SQL" value={sql} onChange={setSql} />
      ) : (
        <div className="alert-condition">
          <TextInput
            dataTest="add-alert-condition-column"
            label="Field"
            value={column}
            onChange={setColumn}
          />
          <label className="o-input">
            <span className="o-input-label">Operator</span>
            <select
              data-test="add-alert-condition-operator"
              value={operator}
              onChange={(e) => setOperator(e.target.value)}
            >
              {OPERATORS.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          <TextInput
            dataTest="add-alert-condition-value"
            label="Value"
            value={value}
            onChange={setValue}
          />
        </div>
      )}
      <h2>Settings</h2>
      <label className="o-input">
        <span className="o-input-label">Threshold</span>
        <select
          data-test="add-alert-threshold-operator"
          value={thresholdOp}
          onChange={(e) => setThresholdOp(e.target.value)}
        >
          {OPERATORS.slice(0, 6).map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      <TextInput
        dataTest="add-alert-threshold-input"
        label="Count"
        value={threshold}
        onChange={setThreshold}
      />
      <TextInput
        dataTest="add-alert-period-input"
        label="Period (minutes)"
        value={period}
        onChange={setPeriod}
      />
      <TextInput
        dataTest="add-alert-frequency-input"
        label="Frequency (minutes)"
        value={frequency}
        onChange={setFrequency}
      />
      <TextInput
        dataTest="add-alert-silence-input"
        label="Silence (minutes)"
        value={silence}
        onChange={setSilence}
      />
      <fieldset data-test="add-alert-destinations">
        <legend>Destinations</legend>
        {destinations.map((d) => (
          <label key={d.name}>
            <input
              type="checkbox"
              data-test={`add-alert-destination-${d.name}`}
              checked={chosen.includes(d.name)}
              onChange={(e) =>
                setChosen(
                  e.target.checked ? [...chosen, d.name] : chosen.filter((n) => n !== d.name),
                )
              }
            />{' '}
            {d.name}
          </label>
        ))}
      </fieldset>
      {error !== undefined && (
        <p role="alert" data-test="add-alert-error">
          {error}
        </p>
      )}
      <button type="submit" data-test="add-alert-submit-btn">
        Save
      </button>
      <button type="button" data-test="add-alert-cancel-btn" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
