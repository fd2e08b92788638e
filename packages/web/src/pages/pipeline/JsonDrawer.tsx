import { lazy, Suspense, useState } from 'react';
import type { Pipeline } from '../../api/pipeline-api';
import { useIsDark } from '../../app/theme';
import { Drawer } from '../../components/Drawer';
import { Toast } from '../../components/Toast';
import { errorText } from './useNotice';

const CodeEditor = lazy(() => import('../../editor/CodeEditor'));

/** The pipeline as JSON, editable; Apply replaces the editor's name, nodes and edges. */
export function JsonDrawer(props: {
  value: Pipeline;
  onClose: () => void;
  onApply: (next: Pipeline) => void;
}) {
  const dark = useIsDark();
  const [text, setText] = useState(() => JSON.stringify(props.value, null, 2));
  const [error, setError] = useState<string | undefined>();
  const apply = () => {
    try {
      const next = JSON.parse(text) as Pipeline;
      if (!Array.isArray(next.nodes) || !Array.isArray(next.edges)) {
        throw new Error('A pipeline needs "nodes" and "edges" arrays');
      }
      props.onApply({ ...props.value, ...next, name: String(next.name ?? '') });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Drawer dataTest="pipeline-json-drawer" title="Edit JSON" onClose={props.onClose}>
      {error !== undefined && <Toast variant="error" message={error} />}
      <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
        <CodeEditor
          dataTest="pipeline-json-editor"
          ariaLabel="Pipeline JSON"
          language="plaintext"
          lineNumbers
          dark={dark}
          value={text}
          onChange={setText}
        />
      </Suspense>
      <footer className="dialog-footer">
        <button
          type="button"
          className="btn"
          data-test="o-drawer-secondary-btn"
          onClick={props.onClose}
        >
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="o-drawer-primary-btn"
          onClick={apply}
        >
          Apply
        </button>
      </footer>
    </Drawer>
  );
}
