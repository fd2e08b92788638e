import { SHORTCUTS } from '../app/shortcuts';
import { ConfirmDialog } from './ConfirmDialog';

/** The `?` cheatsheet. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <ConfirmDialog
      dataTest="keyboard-shortcuts-dialog"
      title="Keyboard shortcuts"
      confirmLabel="Close"
      onConfirm={onClose}
      onCancel={onClose}
    >
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={`${s.scope}-${s.keys}`}>
              <td>{s.scope}</td>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConfirmDialog>
  );
}
