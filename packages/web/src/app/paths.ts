/**
 * The server's mount prefix (`ZO_BASE_URI`): whatever precedes `/web` in the page's path, so
 * the same build works at `/web/` and at `/o2/web/` without knowing the setting.
 */
export function serverBase(pathname: string = window.location.pathname): string {
  const match = /^(.*?)\/web(?:\/|$)/.exec(pathname);
  return match?.[1] ?? '';
}

/** The client router's basename: the SPA lives under `<base>/web`. */
export function webBasename(): string {
  return `${serverBase()}/web`;
}

/** The origin plus base that API snippets should point at (`/config.ingestion_url` wins). */
export function apiOrigin(ingestionUrl: string): string {
  if (ingestionUrl !== '') return ingestionUrl.replace(/\/+$/, '');
  return `${window.location.origin}${serverBase()}`;
}
