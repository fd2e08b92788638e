import type { PanelQuery } from '@o2/dashboards';
import { api } from '../../api/endpoints';
import { useAsync } from '../../app/useAsync';
import { Select } from '../../components/Select';
import { axisItem, defaultFields } from '../../panels/panel-factory';

const AGGREGATIONS = [
  'count',
  'count-distinct',
  'sum',
  'avg',
  'min',
  'max',
  'p50',
  'p90',
  'p95',
  'p99',
];
const STREAM_TYPES = ['logs', 'metrics', 'traces'].map((t) => ({ value: t, label: t }));
const NONE = '';

interface Props {
  org: string;
  query: PanelQuery;
  onChange: (query: PanelQuery) => void;
}

/**
 * The SQL builder: stream, X (time buckets or a field), Y (an aggregation of a field) and an
 * optional breakdown; the generated SQL is shown (read-only) by the editor.
 */
export function SqlBuilder({ org, query, onChange }: Props) {
  const fields = query.fields;
  const streams = useAsync(() => api.streams(org, fields.stream_type), [org, fields.stream_type]);
  const schema = useAsync(
    () =>
      fields.stream === ''
        ? Promise.resolve(undefined)
        : api.streamSchema(org, fields.stream, fields.stream_type),
    [org, fields.stream, fields.stream_type],
  );
  const names =
    schema.status === 'ready' && schema.data !== undefined
      ? schema.data.schema.map((f) => f.name)
      : [];
  const fieldOptions = names.map((n) => ({ value: n, label: n }));
  const x = fields.x[0];
  const y = fields.y[0];
  const b = fields.breakdown?.[0];
  const setFields = (patch: Partial<typeof fields>) =>
    onChange({ ...query, fields: { ...fields, ...patch } });

  return (
    <div className="sql-builder toolbar" data-test="dashboard-sql-builder">
      <Select
        dataTest="index-dropdown-stream_type"
        ariaLabel="Stream type"
        value={fields.stream_type}
        options={STREAM_TYPES}
        onChange={(t) => onChange({ ...query, fields: defaultFields('', t) })}
      />
      <Select
        dataTest="index-dropdown-stream"
        ariaLabel="Stream"
        searchable
        value={fields.stream}
        options={(streams.status === 'ready' ? streams.data.list : []).map((s) => ({
          value: s.name,
          label: s.name,
        }))}
        onChange={(s) => onChange({ ...query, fields: defaultFields(s, fields.stream_type) })}
      />
      <span>X</span>
      <Select
        dataTest="dashboard-x-item-select"
        ariaLabel="X axis"
        searchable
        value={x?.column ?? NONE}
        options={fieldOptions}
        onChange={(c) =>
          setFields({ x: [axisItem('x_axis_1', c, c === '_timestamp' ? 'histogram' : null)] })
        }
      />
      <span>Y</span>
      <Select
        dataTest="dashboard-y-item-function"
        ariaLabel="Y aggregation"
        value={y?.functionName ?? 'count'}
        options={AGGREGATIONS.map((a) => ({ value: a, label: a }))}
        onChange={(fn) => setFields({ y: [axisItem('y_axis_1', y?.column ?? '_timestamp', fn)] })}
      />
      <Select
        dataTest="dashboard-y-item-select"
        ariaLabel="Y axis"
        searchable
        value={y?.column ?? NONE}
        options={fieldOptions}
        onChange={(c) => setFields({ y: [axisItem('y_axis_1', c, y?.functionName ?? 'count')] })}
      />
      <span>Breakdown</span>
      <Select
        dataTest="dashboard-b-item-select"
        ariaLabel="Breakdown"
        searchable
        value={b?.column ?? NONE}
        options={[{ value: NONE, label: 'None' }, ...fieldOptions]}
        onChange={(c) =>
          setFields({ breakdown: c === NONE ? [] : [axisItem('breakdown_1', c, null)] })
        }
      />
    </div>
  );
}
