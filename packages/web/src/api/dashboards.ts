import type { DashboardList, DashboardWrapper, FolderList, Folder } from '@o2/api-schemas';
import type { DashboardV8 } from '@o2/dashboards';
import { serverBase } from '../app/paths';
import { ApiError, request } from './client';

const seg = (value: string): string => encodeURIComponent(value);

/** A dashboard as the UI holds it: the v8 document with the hash the next write must send. */
export interface LoadedDashboard {
  dashboard: DashboardV8;
  hash: string;
}

const loaded = (w: DashboardWrapper): LoadedDashboard => ({
  dashboard: w.v8 as DashboardV8,
  hash: w.hash,
});

/** The stored document exactly as the server keeps it (export must be byte-exact). */
async function rawText(path: string): Promise<string> {
  const response = await fetch(`${serverBase()}${path}`, { credentials: 'same-origin' });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, text);
  return text;
}

/** Folders and dashboards (O2-CONTRACT §10, §11). */
export const dashboardsApi = {
  folders: (org: string) => request<FolderList>('GET', `/api/v2/${seg(org)}/folders/dashboards`),
  createFolder: (org: string, name: string, description: string) =>
    request<Folder>('POST', `/api/v2/${seg(org)}/folders/dashboards`, { name, description }),
  deleteFolder: (org: string, id: string) =>
    request<unknown>('DELETE', `/api/v2/${seg(org)}/folders/dashboards/${seg(id)}`),
  list: (org: string, folder?: string) =>
    request<DashboardList>(
      'GET',
      `/api/${seg(org)}/dashboards${folder === undefined ? '' : `?folder=${seg(folder)}`}`,
    ),
  get: async (org: string, id: string) =>
    loaded(await request<DashboardWrapper>('GET', `/api/${seg(org)}/dashboards/${seg(id)}`)),
  /** The v8 document's JSON text, cut out of the wrapper the server sends verbatim. */
  exportText: async (org: string, id: string) => {
    const text = await rawText(`/api/${seg(org)}/dashboards/${seg(id)}`);
    const start = text.indexOf('"v8":') + 5;
    const end = text.lastIndexOf(',"version":');
    return text.slice(start, end);
  },
  /** Creates from a document object or from JSON text as given (import keeps it as is). */
  create: async (org: string, folder: string, body: DashboardV8 | string) => {
    const response = await fetch(
      `${serverBase()}/api/${seg(org)}/dashboards?folder=${seg(folder)}`,
      {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      },
    );
    const text = await response.text();
    if (!response.ok) throw new ApiError(response.status, messageOf(text, response.status));
    return loaded(JSON.parse(text) as DashboardWrapper);
  },
  update: async (org: string, id: string, hash: string, dashboard: DashboardV8) =>
    loaded(
      await request<DashboardWrapper>(
        'PUT',
        `/api/${seg(org)}/dashboards/${seg(id)}?hash=${seg(hash)}`,
        dashboard,
      ),
    ),
  delete: (org: string, id: string) =>
    request<unknown>('DELETE', `/api/${seg(org)}/dashboards/${seg(id)}`),
};

function messageOf(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: the status says it
  }
  return `${status}`;
}
