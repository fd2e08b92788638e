import { useCallback, useState } from 'react';

export interface Notice {
  ok: boolean;
  text: string;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The page's last success or error message (shown as O2's toast) and a runner that sets it;
 * `arrived` is a success another page handed over (a saved editor returning to its list).
 */
export function useNotice(arrived?: string) {
  const [notice, setNotice] = useState<Notice | undefined>(
    arrived === undefined ? undefined : { ok: true, text: arrived },
  );
  const run = useCallback(
    (work: Promise<unknown>, done: string, after?: () => void) =>
      void work.then(
        () => {
          setNotice({ ok: true, text: done });
          after?.();
        },
        (e: unknown) => setNotice({ ok: false, text: errorText(e) }),
      ),
    [],
  );
  return { notice, setNotice, run };
}
