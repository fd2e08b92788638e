import { lazy, Suspense, useState } from 'react';
import { pipelineApi } from '../../api/pipeline-api';
import type { FunctionTestResult, VrlFunction } from '../../api/pipeline-api';
import { useOrg } from '../../app/org';
import { useIsDark } from '../../app/theme';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';
import { errorText } from './useNotice';

const CodeEditor = lazy(() => import('../../editor/CodeEditor'));

const SAMPLE_EVENTS = JSON.stringify(
  [{ _timestamp: 1735689600000000, level: 'info', log: 'GET /api/cart 200', status: 200 }],
  null,
  2,
);

interface Props {
  /** The function to update; a new one when absent. */
  existing: VrlFunction | undefined;
  /** Leaves the editor; the toast text when something was saved. */
  onDone: (saved?: string) => void;
}

/** Parses the input events: a JSON array of objects, or one object. */
function parseEvents(text: string): unknown[] {
  const parsed = JSON.parse(text) as unknown;
  const events = Array.isArray(parsed) ? parsed : [parsed];
  if (events.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
    throw new Error('Events must be JSON objects');
  }
  return events;
}

/**
 * The function editor (UI-SPEC §10): name, VRL in Monaco, and the test panel — input events in,
 * Run through `POST /functions/test`, output events and per-event errors out — then save.
 */
export function FunctionEditor({ existing, onDone }: Props) {
  const org = useOrg();
  const dark = useIsDark();
  const [name, setName] = useState(existing?.name ?? '');
  const [source, setSource] = useState(existing?.function ?? '.processed = true\n.');
  const [events, setEvents] = useState(SAMPLE_EVENTS);
  const [output, setOutput] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [nameError, setNameError] = useState<string | undefined>();
  const [saveError, setSaveError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const runTest = () => {
    let input: unknown[];
    try {
      input = parseEvents(events);
    } catch (e) {
      setErrors([`Invalid events JSON: ${errorText(e)}`]);
      return;
    }
    setBusy(true);
    void pipelineApi
      .testFunction(org, source, input)
      .then(
        ({ results }: { results: FunctionTestResult[] }) => {
          setOutput(
            JSON.stringify(
              results.map((r) => r.event),
              null,
              2,
            ),
          );
          setErrors(
            results
              .map((r, i) => (r.message === '' ? '' : `Event ${i + 1}: ${r.message}`))
              .filter((m) => m !== ''),
          );
        },
        (e: unknown) => {
          setOutput('');
          setErrors([errorText(e)]);
        },
      )
      .finally(() => setBusy(false));
  };

  const save = () => {
    if (name.trim() === '') {
      setNameError('Field is required!');
      return;
    }
    setNameError(undefined);
    const fn: VrlFunction = {
      name: name.trim(),
      function: source,
      params: 'row',
      numArgs: 0,
      transType: 0,
    };
    setBusy(true);
    const work =
      existing === undefined
        ? pipelineApi.createFunction(org, fn)
        : pipelineApi.updateFunction(org, fn);
    void work.then(
      () =>
        onDone(
          existing === undefined ? 'Function saved successfully' : 'Function updated successfully',
        ),
      (e: unknown) => {
        setBusy(false);
        setSaveError(errorText(e));
      },
    );
  };

  return (
    <section className="function-editor" data-test="add-function-page">
      <div className="toolbar">
        <button
          type="button"
          className="btn"
          data-test="add-function-back-btn"
          aria-label="Back"
          onClick={() => onDone()}
        >
          ←
        </button>
        <h1 className="page-title">{existing === undefined ? 'Add function' : 'Edit function'}</h1>
        <span className="badge" data-test="function-transform-type-vrl-radio" data-state="checked">
          VRL
        </span>
        <div className="toolbar-spacer" />
        <button
          type="button"
          className="btn"
          data-test="add-function-test-btn"
          disabled={busy}
          onClick={runTest}
        >
          Test function
        </button>
        <button
          type="button"
          className="btn"
          data-test="add-function-cancel-btn"
          onClick={() => onDone()}
        >
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="add-function-save-btn"
          disabled={busy}
          onClick={save}
        >
          Save
        </button>
      </div>
      {saveError !== undefined && <Toast variant="error" message={saveError} />}
      <TextInput
        dataTest="add-function-name-input"
        label="Name *"
        value={name}
        disabled={existing !== undefined}
        onChange={setName}
        error={nameError}
      />
      <div className="function-editor-body">
        <div className="function-source">
          <h2>Function (VRL)</h2>
          <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
            <CodeEditor
              dataTest="logs-vrl-function-editor"
              ariaLabel="VRL function"
              language="vrl"
              lineNumbers
              dark={dark}
              value={source}
              onChange={setSource}
              onRun={runTest}
            />
          </Suspense>
          {errors.length > 0 && (
            <div className="function-errors" role="alert" data-test="function-error-panel">
              {errors.map((e) => (
                <pre key={e}>{e}</pre>
              ))}
            </div>
          )}
        </div>
        <div className="function-test" data-test="test-function-section">
          <div className="function-test-head">
            <h2>Events</h2>
            <button
              type="button"
              className="btn btn-primary"
              data-test="test-function-run-btn"
              disabled={busy}
              onClick={runTest}
            >
              Run
            </button>
          </div>
          <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
            <CodeEditor
              dataTest="vrl-function-test-events-editor"
              ariaLabel="Input events"
              language="plaintext"
              lineNumbers
              dark={dark}
              value={events}
              onChange={setEvents}
              onRun={runTest}
            />
          </Suspense>
          <h2>Output</h2>
          <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
            <CodeEditor
              dataTest="vrl-function-test-events-output-editor"
              ariaLabel="Output events"
              language="plaintext"
              lineNumbers
              readOnly
              dark={dark}
              value={output}
              onChange={() => undefined}
            />
          </Suspense>
        </div>
      </div>
    </section>
  );
}
