import { useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../../api/endpoints';
import { pipelineApi } from '../../api/pipeline-api';
import type { PipelineNodeData } from '../../api/pipeline-api';
import { useOrg } from '../../app/org';
import { useAsync } from '../../app/useAsync';
import { Drawer } from '../../components/Drawer';
import { Select } from '../../components/Select';
import type { Option } from '../../components/Select';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';

export type NodeKind = 'source' | 'function' | 'condition' | 'destination';

export interface FormProps {
  initial: PipelineNodeData | undefined;
  /** Nodes a new node can follow (its "previous node"); empty when editing. */
  previous: Option[];
  onSave: (data: PipelineNodeData, after: string | undefined) => void;
  onCancel: () => void;
  onDelete: (() => void) | undefined;
}

const STREAM_TYPES: Option[] = ['logs', 'metrics', 'traces'].map((t) => ({ value: t, label: t }));
const OPERATORS: Option[] = ['=', '!=', '>', '>=', '<', '<=', 'contains', 'not_contains'].map(
  (o) => ({ value: o, label: o }),
);

/** The drawer every node form shares: previous-node picker, problem, and O2's footer buttons. */
function NodeDrawer(props: {
  dataTest: string;
  title: string;
  form: FormProps;
  problem: string | undefined;
  submit: () => PipelineNodeData | string;
  children: ReactNode;
}) {
  const { form } = props;
  const [after, setAfter] = useState(form.previous[form.previous.length - 1]?.value ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  return (
    <Drawer dataTest={props.dataTest} title={props.title} onClose={form.onCancel}>
      {(problem ?? props.problem) !== undefined && (
        <Toast variant="error" message={(problem ?? props.problem)!} />
      )}
      {props.children}
      {form.previous.length > 0 && (
        <div className="o-input">
          <span className="o-input-label">Select Previous Node</span>
          <Select
            dataTest="previous-node-dropdown"
            ariaLabel="Select Previous Node"
            value={after}
            options={form.previous}
            onChange={setAfter}
          />
        </div>
      )}
      <footer className="dialog-footer">
        {form.onDelete !== undefined && (
          <button
            type="button"
            className="btn btn-danger"
            data-test="o-drawer-neutral-btn"
            onClick={form.onDelete}
          >
            Delete
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-test="o-drawer-secondary-btn"
          onClick={form.onCancel}
        >
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="o-drawer-primary-btn"
          onClick={() => {
            const result = props.submit();
            if (typeof result === 'string') setProblem(result);
            else form.onSave(result, after === '' ? undefined : after);
          }}
        >
          Save
        </button>
      </footer>
    </Drawer>
  );
}

/** A source or destination stream; a destination may name a stream that does not exist yet. */
export function StreamForm({ form, asSource }: { form: FormProps; asSource: boolean }) {
  const org = useOrg();
  const initial = form.initial?.node_type === 'stream' ? form.initial : undefined;
  const [type, setType] = useState(initial?.stream_type ?? 'logs');
  const [name, setName] = useState(initial?.stream_name ?? '');
  const [create, setCreate] = useState(false);
  const streams = useAsync(() => api.streams(org, type), [org, type]);
  const options = streams.status === 'ready' ? streams.data.list.map((s) => s.name) : [];
  const pick = !asSource && create;
  return (
    <NodeDrawer
      dataTest="input-node-stream-drawer"
      title={asSource ? 'Source stream' : 'Destination stream'}
      form={form}
      problem={undefined}
      submit={() =>
        name.trim() === ''
          ? 'Stream name is required'
          : { node_type: 'stream', org_id: org, stream_type: type, stream_name: name.trim() }
      }
    >
      <div className="o-input">
        <span className="o-input-label">Stream Type *</span>
        <Select
          dataTest="input-node-stream-type-select"
          ariaLabel="Stream Type"
          value={type}
          options={STREAM_TYPES}
          onChange={setType}
        />
      </div>
      {!asSource && (
        <label className="checkbox" data-test="create-stream-toggle">
          <input
            type="checkbox"
            role="switch"
            checked={create}
            data-state={create ? 'checked' : 'unchecked'}
            onChange={(e) => setCreate(e.target.checked)}
          />
          Create new stream
        </label>
      )}
      {pick ? (
        <TextInput
          dataTest="output-node-stream-name-input"
          label="Stream Name *"
          value={name}
          onChange={setName}
        />
      ) : (
        <div className="o-input">
          <span className="o-input-label">Stream Name *</span>
          <Select
            dataTest="input-node-stream-name-select"
            ariaLabel="Stream Name"
            searchable
            value={name}
            options={options.map((s) => ({ value: s, label: s }))}
            onChange={setName}
          />
        </div>
      )}
    </NodeDrawer>
  );
}

/** A function node: which saved function, and whether it runs after flattening. */
export function FunctionForm({ form }: { form: FormProps }) {
  const org = useOrg();
  const initial = form.initial?.node_type === 'function' ? form.initial : undefined;
  const [name, setName] = useState(initial?.name ?? '');
  const [afterFlatten, setAfterFlatten] = useState(initial?.after_flatten ?? true);
  const functions = useAsync(() => pipelineApi.functions(org), [org]);
  const names = functions.status === 'ready' ? functions.data.list.map((f) => f.name) : [];
  return (
    <NodeDrawer
      dataTest="associate-function-drawer"
      title="Function"
      form={form}
      problem={functions.status === 'error' ? functions.error : undefined}
      submit={() =>
        name === ''
          ? 'Function is required'
          : { node_type: 'function', name, after_flatten: afterFlatten, num_args: 0 }
      }
    >
      <div className="o-input">
        <span className="o-input-label">Function *</span>
        <Select
          dataTest="associate-function-select-function-input"
          ariaLabel="Function"
          searchable
          value={name}
          options={names.map((n) => ({ value: n, label: n }))}
          onChange={setName}
        />
      </div>
      <label className="checkbox" data-test="associate-function-after-flattening-toggle">
        <input
          type="checkbox"
          role="switch"
          checked={afterFlatten}
          data-state={afterFlatten ? 'checked' : 'unchecked'}
          onChange={(e) => setAfterFlatten(e.target.checked)}
        />
        After Flattening
      </label>
    </NodeDrawer>
  );
}

type Row = { column: string; operator: string; value: string };

/** A condition node: records pass when every `field op value` row holds. */
export function ConditionForm({ form }: { form: FormProps }) {
  const initial = form.initial?.node_type === 'condition' ? form.initial.conditions : undefined;
  const [rows, setRows] = useState<Row[]>(
    initial?.map((c) => ({ column: c.column, operator: c.operator, value: c.value })) ?? [
      { column: '', operator: '=', value: '' },
    ],
  );
  const set = (i: number, change: Partial<Row>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <NodeDrawer
      dataTest="add-condition-drawer"
      title="Condition"
      form={form}
      problem={undefined}
      submit={() => {
        const kept = rows.filter((r) => r.column.trim() !== '');
        if (kept.length === 0) return 'Please add at least one condition';
        return {
          node_type: 'condition',
          conditions: kept.map((r) => ({ ...r, column: r.column.trim(), ignore_case: false })),
        };
      }}
    >
      <div data-test="add-condition-section" className="condition-rows">
        {rows.map((r, i) => (
          <div className="condition-row" key={i} data-test={`condition-row-${i}`}>
            <TextInput
              dataTest="alert-conditions-select-column"
              label="Column"
              value={r.column}
              onChange={(column) => set(i, { column })}
            />
            <Select
              dataTest="alert-conditions-operator-select"
              ariaLabel="Operator"
              value={r.operator}
              options={OPERATORS}
              onChange={(operator) => set(i, { operator })}
            />
            <TextInput
              dataTest="alert-conditions-value-input"
              label="Value"
              value={r.value}
              onChange={(value) => set(i, { value })}
            />
            <button
              type="button"
              className="btn btn-icon"
              aria-label="Delete condition"
              data-test="alert-conditions-delete-condition-btn"
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
        ))}
      </div>
      <button
        type="button"
        className="btn"
        data-test="alert-conditions-add-condition-btn"
        onClick={() => setRows([...rows, { column: '', operator: '=', value: '' }])}
      >
        Add condition
      </button>
    </NodeDrawer>
  );
}
