import { useState } from 'react';
import type { Folder } from '@o2/api-schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextInput } from '../../components/TextInput';

interface Props {
  folders: Folder[];
  selected: string;
  onSelect: (id: string) => void;
  onCreate: (name: string, description: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
}

/** The dashboards' folders: `default` first, then the user's; create and delete (empty only). */
export function FolderSidebar({ folders, selected, onSelect, onCreate, onDelete }: Props) {
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | undefined>();
  const sorted = [...folders].sort((a, b) =>
    a.folderId === 'default' ? -1 : b.folderId === 'default' ? 1 : a.name.localeCompare(b.name),
  );
  return (
    <aside className="folder-sidebar" data-test="dashboards-folder-list">
      <button
        type="button"
        className="btn"
        data-test="dashboard-new-folder-btn"
        onClick={() => setCreating(true)}
      >
        + New folder
      </button>
      <ul role="listbox" aria-label="Folders">
        {sorted.map((f) => (
          <li
            key={f.folderId}
            role="option"
            tabIndex={0}
            aria-selected={f.folderId === selected}
            data-state={f.folderId === selected ? 'checked' : 'unchecked'}
            data-test={`dashboard-folder-tab-${f.folderId}`}
            onClick={() => onSelect(f.folderId)}
            onKeyDown={(event) => event.key === 'Enter' && onSelect(f.folderId)}
          >
            <span>{f.name}</span>
            {f.folderId !== 'default' && (
              <button
                type="button"
                className="btn btn-icon btn-small"
                aria-label={`Delete folder ${f.name}`}
                data-test="dashboard-delete-folder-icon"
                onClick={(event) => {
                  event.stopPropagation();
                  void onDelete(f.folderId);
                }}
              >
                🗑
              </button>
            )}
          </li>
        ))}
      </ul>
      {creating && (
        <ConfirmDialog
          dataTest="dashboard-folder-add-dialog"
          title="New Folder"
          confirmLabel="Save"
          onCancel={() => setCreating(false)}
          onConfirm={() => {
            if (name.trim() === '') return setError('Name is required');
            void onCreate(name.trim(), description).then(
              () => {
                setCreating(false);
                setName('');
                setDescription('');
                setError(undefined);
              },
              (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
            );
          }}
        >
          <div className="form-stack">
            <TextInput
              dataTest="dashboard-folder-add-name"
              label="Name *"
              value={name}
              onChange={setName}
              error={error}
            />
            <TextInput
              dataTest="dashboard-folder-add-description"
              label="Description"
              value={description}
              onChange={setDescription}
            />
          </div>
        </ConfirmDialog>
      )}
    </aside>
  );
}
