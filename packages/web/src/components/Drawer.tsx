import { useEffect } from 'react';
import type { ReactNode } from 'react';

interface Props {
  dataTest: string;
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/** A right-hand drawer: role dialog, `data-state="open"`, `o-drawer-close-btn`, Esc closes. */
export function Drawer({ dataTest, title, onClose, children }: Props) {
  useEffect(() => {
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('keydown', escape);
    return () => document.removeEventListener('keydown', escape);
  }, [onClose]);
  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <aside
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-state="open"
        data-test={dataTest}
        onClick={(event) => event.stopPropagation()}
      >
        <header className="drawer-header">
          <h2>{title}</h2>
          <button
            type="button"
            className="btn btn-icon"
            data-test="o-drawer-close-btn"
            aria-label="Close"
            onClick={onClose}
          >
            ✕
          </button>
        </header>
        <div className="drawer-body">{children}</div>
      </aside>
    </div>
  );
}
