import { useState } from 'react';
import type { Variable } from '@o2/dashboards';
import { api } from '../../api/endpoints';
import { useAsync } from '../../app/useAsync';
import { Select } from '../../components/Select';
import { TextInput } from '../../components/TextInput';

const TYPES = [
  { value: 'query_values', label: 'Query Values' },
  { value: 'constant', label: 'Constant' },
  { value: 'textbox', label: 'Textbox' },
  { value: 'custom', label: 'Custom' },
];
const STREAM_TYPES = ['logs', 'metrics', 'traces'].map((t) => ({ value: t, label: t }));

interface Props {
  org: string;
  initial: Variable | undefined;
  taken: string[];
  onSave: (variable: Variable) => void;
  onCancel: () => void;
}

/** Adds or edits one variable (UI-SPEC §7.4), with O2's keys (`query_data`, `multiSelect`, …). */
export function VariableForm({ org, initial, taken, onSave, onCancel }: Props) {
  const [type, setType] = useState(initial?.type ?? 'query_values');
  const [name, setName] = useState(initial?.name ?? '');
  const [label, setLabel] = useState(initial?.label ?? '');
  const q = initial?.query_data;
  const [streamType, setStreamType] = useState(q?.stream_type ?? 'logs');
  const [stream, setStream] = useState(q?.stream ?? '');
  const [field, setField] = useState(q?.field ?? '');
  const [size, setSize] = useState(String(q?.max_record_size ?? 10));
  const firstFilter = q?.filter?.[0] as { name?: unknown; value?: unknown } | undefined;
  const [filterField, setFilterField] = useState(
    typeof firstFilter?.name === 'string' ? firstFilter.name : '',
  );
  const [filterValue, setFilterValue] = useState(
    typeof firstFilter?.value === 'string' ? firstFilter.value : '',
  );
  const [multi, setMulti] = useState(initial?.multiSelect ?? false);
  const [value, setValue] = useState(typeof initial?.value === 'string' ? initial.value : '');
  const [options, setOptions] = useState(
    (initial?.options ?? []).map((o) => o.value ?? '').join(','),
  );
  const [error, setError] = useState<string | undefined>();
  const streams = useAsync(() => api.streams(org, streamType), [org, streamType]);
  const schema = useAsync(
    () => (stream === '' ? Promise.resolve(undefined) : api.streamSchema(org, stream, streamType)),
    [org, stream, streamType],
  );

  const save = () => {
    if (!/^[a-zA-Z0-9_-]+$/.test(name))
      return setError('Name may only contain letters, digits, _ and -');
    if (taken.includes(name)) return setError('Variable name already exists');
    const base = {
      ...(initial ?? {}),
      type,
      name,
      label,
      hideOnDashboard: initial?.hideOnDashboard ?? false,
    };
    if (type === 'query_values')
      return onSave({
        ...base,
        multiSelect: multi,
        query_data: {
          stream_type: streamType,
          stream,
          field,
          max_record_size: Number(size) || 10,
          filter:
            filterField === '' ? [] : [{ name: filterField, operator: '=', value: filterValue }],
        },
        value: multi ? [] : '',
        options: [],
      });
    if (type === 'custom') {
      const list = options
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== '');
      return onSave({
        ...base,
        multiSelect: multi,
        options: list.map((o) => ({ label: o, value: o })),
        value: multi ? [] : (list[0] ?? ''),
      });
    }
    return onSave({ ...base, value });
  };

  return (
    <div className="form-stack" data-test="dashboard-variable-form">
      <span className="o-input-label">Type</span>
      <Select
        dataTest="dashboard-variable-type-select"
        ariaLabel="Type"
        value={type}
        options={TYPES}
        onChange={setType}
      />
      <TextInput
        dataTest="dashboard-variable-name"
        label="Name *"
        value={name}
        onChange={setName}
        error={error}
      />
      <TextInput
        dataTest="dashboard-variable-label"
        label="Label"
        value={label}
        onChange={setLabel}
      />
      {type === 'query_values' && (
        <>
          <span className="o-input-label">Stream type</span>
          <Select
            dataTest="dashboard-variable-stream-type-select"
            ariaLabel="Stream type"
            value={streamType}
            options={STREAM_TYPES}
            onChange={(v) => {
              setStreamType(v);
              setStream('');
              setField('');
            }}
          />
          <span className="o-input-label">Stream</span>
          <Select
            dataTest="dashboard-variable-stream-select"
            ariaLabel="Stream"
            searchable
            value={stream}
            options={(streams.status === 'ready' ? streams.data.list : []).map((s) => ({
              value: s.name,
              label: s.name,
            }))}
            onChange={(v) => {
              setStream(v);
              setField('');
            }}
          />
          <span className="o-input-label">Field</span>
          <Select
            dataTest="dashboard-variable-field-select"
            ariaLabel="Field"
            searchable
            value={field}
            options={(schema.status === 'ready' && schema.data !== undefined
              ? schema.data.schema
              : []
            ).map((f) => ({ value: f.name, label: f.name }))}
            onChange={setField}
          />
          <TextInput
            dataTest="dashboard-variable-max-record-size"
            label="Max record size"
            value={size}
            onChange={setSize}
          />
          <TextInput
            dataTest="dashboard-variable-filter-field"
            label="Filter field (optional)"
            value={filterField}
            onChange={setFilterField}
          />
          <TextInput
            dataTest="dashboard-variable-filter-value"
            label="Filter value, e.g. $namespace"
            value={filterValue}
            onChange={setFilterValue}
          />
        </>
      )}
      {type === 'custom' && (
        <TextInput
          dataTest="dashboard-variable-custom-options"
          label="Options (comma separated)"
          value={options}
          onChange={setOptions}
        />
      )}
      {(type === 'constant' || type === 'textbox') && (
        <TextInput
          dataTest="dashboard-variable-value"
          label={type === 'constant' ? 'Value' : 'Default value'}
          value={value}
          onChange={setValue}
        />
      )}
      {(type === 'query_values' || type === 'custom') && (
        <label className="checkbox">
          <input
            type="checkbox"
            data-test="dashboard-variable-multi-select"
            checked={multi}
            onChange={(event) => setMulti(event.target.checked)}
          />
          Allow multiple selection (with All)
        </label>
      )}
      <div className="toolbar">
        <button
          type="button"
          className="btn"
          data-test="dashboard-variable-cancel-btn"
          onClick={onCancel}
        >
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="dashboard-variable-save-btn"
          onClick={save}
        >
          Save
        </button>
      </div>
    </div>
  );
}
