import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { pipelineApi, pipelineId } from '../api/pipeline-api';
import type { Pipeline, PipelineNodeData } from '../api/pipeline-api';
import { useOrg, useOrgPath } from '../app/org';
import { useAsync } from '../app/useAsync';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TextInput } from '../components/TextInput';
import { Toast } from '../components/Toast';
import { JsonDrawer } from './pipeline/JsonDrawer';
import { ConditionForm, FunctionForm, StreamForm } from './pipeline/NodeForms';
import type { FormProps, NodeKind } from './pipeline/NodeForms';
import { DRAG_TYPE, PipelineCanvas } from './pipeline/PipelineCanvas';
import * as model from './pipeline/graph';
import type { Graph } from './pipeline/graph';
import { errorText } from './pipeline/useNotice';
import './pipeline/pipeline.css';

const PALETTE: { kind: NodeKind; label: string; test: string; group: string }[] = [
  { kind: 'source', label: 'Stream', test: 'stream-input', group: 'Source' },
  { kind: 'function', label: 'Function', test: 'function-default', group: 'Transform' },
  { kind: 'condition', label: 'Condition', test: 'condition-default', group: 'Transform' },
  { kind: 'destination', label: 'Stream', test: 'stream-output', group: 'Destination' },
];

type Editing = { kind: NodeKind; id?: string; position?: { x: number; y: number } };

const kindOfNode = (io: string, data: PipelineNodeData): NodeKind =>
  data.node_type === 'stream' ? (io === 'input' ? 'source' : 'destination') : data.node_type;

/** The pipeline editor (UI-SPEC §10): palette, graph, node forms, validation, JSON, save. */
function Editor({ initial }: { initial: Pipeline }) {
  const org = useOrg();
  const orgPath = useOrgPath();
  const navigate = useNavigate();
  const [name, setName] = useState(initial.name);
  const [graph, setGraph] = useState<Graph>({ nodes: initial.nodes, edges: initial.edges });
  const [editing, setEditing] = useState<Editing | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [nameError, setNameError] = useState<string | undefined>();
  const [discarding, setDiscarding] = useState(false);
  const [jsonOpen, setJsonOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(() =>
    JSON.stringify([initial.name, initial.nodes, initial.edges]),
  );
  const dirty = JSON.stringify([name, graph.nodes, graph.edges]) !== saved;
  const problems = model.validate(graph);

  // A message about the graph (a refused save or edge) is stale once the graph changes.
  useEffect(() => setProblem(undefined), [graph]);
  useEffect(() => {
    if (!dirty) return;
    const guard = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [dirty]);

  const toList = (notice?: string) =>
    void navigate(orgPath('/pipeline/pipelines'), {
      state: notice === undefined ? null : { notice },
    });
  const current = () => model.toPipeline({ ...initial, name: name.trim(), org }, graph);
  const save = () => {
    if (name.trim() === '') {
      setNameError(model.MESSAGES.name);
      return;
    }
    setNameError(undefined);
    if (problems.length > 0) {
      setProblem(problems[0]);
      return;
    }
    const pipeline = current();
    setBusy(true);
    const isNew = pipelineId(initial) === '';
    void (
      isNew ? pipelineApi.createPipeline(org, pipeline) : pipelineApi.updatePipeline(org, pipeline)
    ).then(
      () => {
        setSaved(JSON.stringify([name, graph.nodes, graph.edges]));
        toList(isNew ? 'Pipeline saved successfully' : 'Pipeline updated successfully');
      },
      (e: unknown) => {
        setBusy(false);
        setProblem(errorText(e));
      },
    );
  };

  const editingNode =
    editing?.id === undefined ? undefined : graph.nodes.find((n) => n.id === editing.id);
  const previous =
    editing?.id === undefined && editing?.kind !== 'source'
      ? graph.nodes
          .filter((n) => n.io_type !== 'output')
          .map((n) => ({ value: n.id, label: model.nodeLabel(n.data) }))
      : [];
  const form: FormProps | undefined =
    editing === undefined
      ? undefined
      : {
          initial: editingNode?.data,
          previous,
          onCancel: () => setEditing(undefined),
          onDelete:
            editingNode === undefined
              ? undefined
              : () => {
                  setGraph(model.removeNode(graph, editingNode.id));
                  setEditing(undefined);
                },
          onSave: (data, after) => {
            if (editingNode !== undefined) setGraph(model.updateNode(graph, editingNode.id, data));
            else {
              const io = model.ioTypeOf(data, editing.kind === 'source');
              const options = {
                ...(editing.position === undefined ? {} : { position: editing.position }),
                ...(after === undefined ? {} : { after }),
              };
              setGraph(model.addNode(graph, data, io, options).graph);
            }
            setEditing(undefined);
          },
        };

  return (
    <section className="pipeline-editor" data-test="pipeline-editor-page">
      <div className="toolbar">
        <button
          type="button"
          className="btn"
          aria-label="Back"
          data-test="add-pipeline-back-btn"
          onClick={() => (dirty ? setDiscarding(true) : toList())}
        >
          ←
        </button>
        <TextInput
          dataTest="pipeline-editor-name-input"
          label="Pipeline name *"
          value={name}
          disabled={pipelineId(initial) !== ''}
          onChange={setName}
          error={nameError}
        />
        <div className="toolbar-spacer" />
        <button
          type="button"
          className="btn"
          data-test="pipeline-json-edit-btn"
          onClick={() => setJsonOpen(true)}
        >
          Edit JSON
        </button>
        <button
          type="button"
          className="btn"
          data-test="add-pipeline-cancel-btn"
          onClick={() => (dirty ? setDiscarding(true) : toList())}
        >
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="add-pipeline-save-btn"
          disabled={busy}
          onClick={save}
        >
          Save
        </button>
      </div>
      {problem !== undefined && <Toast variant="error" message={problem} />}
      <div className="pipeline-editor-body">
        <aside className="pipeline-palette" aria-label="Nodes">
          {['Source', 'Transform', 'Destination'].map((group) => (
            <div key={group}>
              <h2>{group}</h2>
              {PALETTE.filter((p) => p.group === group).map((p) => (
                <button
                  key={p.test}
                  type="button"
                  draggable
                  className="btn pipeline-palette-item"
                  data-test={`pipeline-node-sidebar-${p.test}-btn`}
                  onDragStart={(e) => e.dataTransfer.setData(DRAG_TYPE, p.kind)}
                  onClick={() => setEditing({ kind: p.kind })}
                >
                  {p.label}
                </button>
              ))}
            </div>
          ))}
          <ul
            className="pipeline-validation"
            data-test="pipeline-validation-messages"
            aria-live="polite"
          >
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </aside>
        <PipelineCanvas
          graph={graph}
          onMove={(id, position) => setGraph((g) => model.moveNode(g, id, position))}
          onConnect={(source, target) => setGraph((g) => model.connect(g, source, target))}
          onRemoveEdge={(id) => setGraph((g) => model.removeEdge(g, id))}
          onRemoveNode={(id) => setGraph((g) => model.removeNode(g, id))}
          onEdit={(id) => {
            const node = graph.nodes.find((n) => n.id === id);
            if (node !== undefined) setEditing({ kind: kindOfNode(node.io_type, node.data), id });
          }}
          onDrop={(kind, position) => setEditing({ kind, position })}
          onProblem={setProblem}
        />
      </div>
      {form !== undefined && editing?.kind === 'source' && <StreamForm form={form} asSource />}
      {form !== undefined && editing?.kind === 'destination' && (
        <StreamForm form={form} asSource={false} />
      )}
      {form !== undefined && editing?.kind === 'function' && <FunctionForm form={form} />}
      {form !== undefined && editing?.kind === 'condition' && <ConditionForm form={form} />}
      {jsonOpen && (
        <JsonDrawer
          value={current()}
          onClose={() => setJsonOpen(false)}
          onApply={(next) => {
            setName(next.name);
            setGraph({ nodes: next.nodes, edges: next.edges });
            setJsonOpen(false);
          }}
        />
      )}
      {discarding && (
        <ConfirmDialog
          dataTest="confirm-dialog"
          title="Unsaved changes"
          confirmLabel="Discard"
          onCancel={() => setDiscarding(false)}
          onConfirm={() => toList()}
        >
          <p>This pipeline has unsaved changes. Discard them?</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** `/pipeline/pipelines/add` and `/pipeline/pipelines/edit?id=`. */
export default function PipelineEditorPage() {
  const org = useOrg();
  const [params] = useSearchParams();
  const id = params.get('id') ?? '';
  const loaded = useAsync(
    () => (id === '' ? Promise.resolve(model.emptyPipeline(org)) : pipelineApi.pipeline(org, id)),
    [org, id],
  );
  if (loaded.status === 'loading') return <div className="page-loading" aria-busy="true" />;
  if (loaded.status === 'error') return <Toast variant="error" message={loaded.error} />;
  return <Editor key={id} initial={loaded.data} />;
}
