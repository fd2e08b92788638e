import { useEffect } from 'react';
import type { ReactNode } from 'react';

interface Props {
  dataTest: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
}

/**
 * A modal confirmation with O2's ids: `o-dialog-primary-btn`, `o-dialog-secondary-btn`,
 * `o-dialog-close-btn`; role dialog with `data-state="open"`; Esc cancels.
 */
export function ConfirmDialog(props: Props) {
  const { dataTest, title, children, confirmLabel, onConfirm, onCancel, busy } = props;
  useEffect(() => {
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && onCancel();
    document.addEventListener('keydown', escape);
    return () => document.removeEventListener('keydown', escape);
  }, [onCancel]);
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-state="open"
        data-test={dataTest}
      >
        <header className="dialog-header">
          <h2>{title}</h2>
          <button
            type="button"
            className="btn btn-icon"
            aria-label="Close"
            data-test="o-dialog-close-btn"
            onClick={onCancel}
          >
            ✕
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        <footer className="dialog-footer">
          <button
            type="button"
            className="btn"
            data-test="o-dialog-secondary-btn"
            onClick={onCancel}
          >
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-test="o-dialog-primary-btn"
            disabled={busy === true}
            onClick={onConfirm}
          >
            {confirmLabel}
          </button>
        </footer>
      </div>
    </div>
  );
}
