import { useState } from 'react';
import { pipelineApi } from '../../api/pipeline-api';
import { useOrg } from '../../app/org';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';
import { errorText } from './useNotice';

interface Props {
  /** The table to add rows to or replace; a new table when absent. */
  existing: string | undefined;
  onDone: (saved?: string) => void;
}

/** Upload a CSV as an enrichment table (new, or append to / replace an existing one). */
export function EnrichmentForm({ existing, onDone }: Props) {
  const org = useOrg();
  const [name, setName] = useState(existing ?? '');
  const [file, setFile] = useState<File | undefined>();
  const [append, setAppend] = useState(false);
  const [errors, setErrors] = useState<{ name?: string; file?: string; save?: string }>({});
  const [busy, setBusy] = useState(false);

  const save = () => {
    const problems = {
      ...(name.trim() === '' ? { name: 'Field is required!' } : {}),
      ...(file === undefined ? { file: 'CSV File is required!' } : {}),
    };
    setErrors(problems);
    if (file === undefined || problems.name !== undefined) return;
    setBusy(true);
    void pipelineApi.uploadEnrichmentTable(org, name.trim(), file, append).then(
      () => onDone(existing === undefined ? 'Enrichment table added' : 'Enrichment table updated'),
      (e: unknown) => {
        setBusy(false);
        setErrors({ save: errorText(e) });
      },
    );
  };

  return (
    <section className="enrichment-form" data-test="add-enrichment-table-page">
      <h1 className="page-title" data-test="add-enrichment-table-title">
        {existing === undefined ? 'Add enrichment table' : `Update ${existing}`}
      </h1>
      {errors.save !== undefined && <Toast variant="error" message={errors.save} />}
      <TextInput
        dataTest="add-enrichment-table-name"
        label="Name *"
        value={name}
        disabled={existing !== undefined}
        onChange={setName}
        error={errors.name}
      />
      <label className="o-input" data-test="add-enrichment-table-file">
        <span className="o-input-label">CSV file *</span>
        <input
          type="file"
          accept=".csv,text/csv"
          data-test="add-enrichment-table-file-field"
          onChange={(e) => setFile(e.target.files?.[0])}
        />
        {errors.file !== undefined && (
          <span className="o-input-error" role="alert" data-test="add-enrichment-table-file-error">
            {errors.file}
          </span>
        )}
      </label>
      {existing !== undefined && (
        <label className="checkbox" data-test="add-enrichment-table-append-switch">
          <input
            type="checkbox"
            role="switch"
            checked={append}
            data-state={append ? 'checked' : 'unchecked'}
            onChange={(e) => setAppend(e.target.checked)}
          />
          Append data to existing
        </label>
      )}
      <div className="toolbar">
        <button
          type="button"
          className="btn"
          data-test="add-enrichment-table-cancel-btn"
          onClick={() => onDone()}
        >
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="add-enrichment-table-save-btn"
          disabled={busy}
          onClick={save}
        >
          Save
        </button>
      </div>
    </section>
  );
}
