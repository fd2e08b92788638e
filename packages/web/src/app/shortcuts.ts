import { useEffect } from 'react';

/** Shortcuts never fire while the user types (UI-SPEC §15). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Binds single keys (`?`, `r`, `/` …) for as long as the component is mounted. */
export function useShortcuts(keys: Record<string, () => void>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const action = keys[event.key];
      if (action === undefined) return;
      event.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [keys]);
}

/** What the cheatsheet lists: the shortcuts that exist today. */
export const SHORTCUTS: Array<{ scope: string; keys: string; action: string }> = [
  { scope: 'Global', keys: '?', action: 'Keyboard shortcuts' },
  { scope: 'Global', keys: 'Esc', action: 'Close dialog or drawer' },
  { scope: 'Lists', keys: 'r', action: 'Refresh' },
  { scope: 'Lists', keys: '/', action: 'Focus search' },
  { scope: 'Logs', keys: 'Ctrl/Cmd+Enter', action: 'Run query (in the editor)' },
  { scope: 'Logs', keys: 'r', action: 'Run query' },
  { scope: 'Logs', keys: 'h', action: 'Show or hide the histogram' },
];
