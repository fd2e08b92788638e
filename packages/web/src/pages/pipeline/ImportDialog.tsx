import { useState } from 'react';
import { pipelineApi } from '../../api/pipeline-api';
import type { Pipeline } from '../../api/pipeline-api';
import { useOrg } from '../../app/org';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextInput } from '../../components/TextInput';
import { errorText } from './useNotice';

/**
 * Import a pipeline exported as JSON (file or pasted text) into this org, under its own name or
 * a new one; the server assigns a fresh id.
 */
export function ImportDialog({ onDone }: { onDone: (saved?: string) => void }) {
  const org = useOrg();
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = () => {
    let pipeline: Pipeline;
    try {
      const parsed = JSON.parse(text) as Partial<Pipeline> | null;
      if (parsed === null || typeof parsed !== 'object' || !Array.isArray(parsed.nodes)) {
        throw new Error('The JSON is not a pipeline (no nodes)');
      }
      const { pipeline_id: _id, id: _legacy, ...rest } = parsed as Pipeline;
      const stream = (n: Pipeline['nodes'][number]) =>
        n.data.node_type === 'stream' ? { ...n, data: { ...n.data, org_id: org } } : n;
      pipeline = {
        ...rest,
        org,
        name: name.trim() === '' ? rest.name : name.trim(),
        nodes: rest.nodes.map(stream),
        source: { ...rest.source, ...(rest.source.org_id === undefined ? {} : { org_id: org }) },
      };
    } catch (e) {
      setError(errorText(e));
      return;
    }
    setBusy(true);
    void pipelineApi.createPipeline(org, pipeline).then(
      () => onDone('Pipeline imported successfully'),
      (e: unknown) => {
        setBusy(false);
        setError(errorText(e));
      },
    );
  };

  return (
    <ConfirmDialog
      dataTest="pipeline-import-dialog"
      title="Import pipeline"
      confirmLabel="Import"
      busy={busy}
      onCancel={() => onDone()}
      onConfirm={submit}
    >
      <label className="o-input">
        <span className="o-input-label">JSON file</span>
        <input
          type="file"
          accept=".json,application/json"
          data-test="pipeline-import-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file !== undefined) void file.text().then(setText);
          }}
        />
      </label>
      <label className="o-input">
        <span className="o-input-label">Pipeline JSON</span>
        <textarea
          className="json-textarea"
          rows={10}
          data-test="pipeline-import-json-textarea"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <TextInput
        dataTest="pipeline-import-name-input"
        label="Name (leave empty to keep the exported name)"
        value={name}
        onChange={setName}
        error={error}
      />
    </ConfirmDialog>
  );
}
