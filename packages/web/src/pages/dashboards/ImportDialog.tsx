import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';

interface Props {
  /** Imports one document's JSON text into the current folder; rejects with the server's reason. */
  onImport: (text: string) => Promise<void>;
  onClose: () => void;
}

/**
 * Import (UI-SPEC §7.1): JSON files or pasted JSON, each created as sent (the server migrates
 * v1–v7 and stores the text, so an export imports back byte for byte). Errors are listed per file.
 */
export function ImportDialog({ onImport, onClose }: Props) {
  const [pasted, setPasted] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    const docs: Array<{ name: string; text: string }> = [
      ...(await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })))),
      ...(pasted.trim() === '' ? [] : [{ name: 'pasted JSON', text: pasted }]),
    ];
    if (docs.length === 0) return setErrors(['Choose a file or paste a dashboard JSON']);
    setBusy(true);
    const failed: string[] = [];
    for (const doc of docs) {
      try {
        await onImport(doc.text);
      } catch (e) {
        failed.push(`${doc.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    setBusy(false);
    if (failed.length === 0) onClose();
    else setErrors(failed);
  };

  return (
    <ConfirmDialog
      dataTest="dashboard-import-dialog"
      title="Import Dashboard"
      confirmLabel="Import"
      busy={busy}
      onConfirm={() => void run()}
      onCancel={onClose}
    >
      <div className="form-stack">
        <label className="o-input">
          <span className="o-input-label">JSON files</span>
          <input
            type="file"
            accept=".json,application/json"
            multiple
            data-test="dashboard-import-file-input"
            onChange={(event) => setFiles([...(event.target.files ?? [])])}
          />
        </label>
        <label className="o-input">
          <span className="o-input-label">Or paste JSON</span>
          <textarea
            rows={8}
            data-test="dashboard-import-json"
            value={pasted}
            onChange={(event) => setPasted(event.target.value)}
          />
        </label>
        {errors.map((e) => (
          <span key={e} className="o-input-error" role="alert" data-test="dashboard-import-error">
            {e}
          </span>
        ))}
      </div>
    </ConfirmDialog>
  );
}
