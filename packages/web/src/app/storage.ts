/** The keys this UI keeps in the browser, in one place. */
const KEYS = {
  user: 'o2ts.user',
  org: 'o2ts.org',
  theme: 'o2ts.theme',
  redirect: 'redirectURI',
  // O2 keeps the picked zone under this very key.
  timezone: 'timezone',
  columnWidths: 'o2ts.logs.columnWidths',
} as const;

type Key = keyof typeof KEYS;

export const local = {
  get: (key: Key): string | undefined => window.localStorage.getItem(KEYS[key]) ?? undefined,
  set: (key: Key, value: string): void => window.localStorage.setItem(KEYS[key], value),
  remove: (key: Key): void => window.localStorage.removeItem(KEYS[key]),
};

/** The URL a guarded navigation wanted, kept for the tab only (as O2 does). */
export const session = {
  get: (key: Key): string | undefined => window.sessionStorage.getItem(KEYS[key]) ?? undefined,
  set: (key: Key, value: string): void => window.sessionStorage.setItem(KEYS[key], value),
  remove: (key: Key): void => window.sessionStorage.removeItem(KEYS[key]),
};
