import { useCallback, useEffect, useState } from 'react';
import { local } from './storage';

export type Theme = 'light' | 'dark';

/** Applies the theme the way O2's automation detects it: `body--dark` on <body>. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset['theme'] = theme;
  document.body.classList.toggle('body--dark', theme === 'dark');
  document.body.classList.toggle('body--light', theme === 'light');
}

export function storedTheme(): Theme {
  return local.get('theme') === 'dark' ? 'dark' : 'light';
}

/** The persisted light/dark choice. */
export function useTheme(): { theme: Theme; toggle: () => void } {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  useEffect(() => applyTheme(theme), [theme]);
  const toggle = useCallback(() => {
    setTheme((current) => {
      const next = current === 'dark' ? 'light' : 'dark';
      local.set('theme', next);
      return next;
    });
  }, []);
  return { theme, toggle };
}

/** Whether the page is dark right now, following the user menu's toggle. */
export function useIsDark(): boolean {
  const [dark, setDark] = useState(() => document.body.classList.contains('body--dark'));
  useEffect(() => {
    const observer = new MutationObserver(() =>
      setDark(document.body.classList.contains('body--dark')),
    );
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return dark;
}
