import { useCallback, useState } from 'react';
import { local } from '../../app/storage';

type Widths = Record<string, number>;
/** Narrower than this a column can't show its header. */
export const MIN_COLUMN_WIDTH = 60;
export const DEFAULT_COLUMN_WIDTH = 200;

function readAll(): Record<string, Widths> {
  try {
    const parsed = JSON.parse(local.get('columnWidths') ?? '{}') as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Widths>) : {};
  } catch {
    return {};
  }
}

/** Column widths chosen by resizing, kept per stream in the browser (UI-SPEC §5.4, #4198). */
export function useColumnWidths(key: string): {
  widths: Widths;
  setWidth: (column: string, px: number) => void;
  save: () => void;
} {
  const [state, setState] = useState<{ key: string; widths: Widths }>(() => ({
    key,
    widths: readAll()[key] ?? {},
  }));
  // A stream change reads that stream's widths.
  const widths = state.key === key ? state.widths : (readAll()[key] ?? {});
  if (state.key !== key) setState({ key, widths });
  const setWidth = useCallback(
    (column: string, px: number) =>
      setState((s) => ({
        key: s.key,
        widths: { ...s.widths, [column]: Math.max(MIN_COLUMN_WIDTH, Math.round(px)) },
      })),
    [],
  );
  const save = useCallback(() => {
    setState((s) => {
      local.set('columnWidths', JSON.stringify({ ...readAll(), [s.key]: s.widths }));
      return s;
    });
  }, []);
  return { widths, setWidth, save };
}
