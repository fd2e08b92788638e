import type {
  Ack,
  AlertDestination,
  AlertHistory,
  AlertList,
  AlertSaved,
  AlertTemplate,
  AuthResult,
  OrgSummary,
  OrgUserList,
  OrganizationList,
  Passcode,
  RoleList,
  SearchPartitionResponse,
  SearchResponse,
  ServerConfig,
  StreamJson,
  StreamList,
  ValuesResponse,
} from '@o2/api-schemas';
import { request } from './client';

const seg = (value: string): string => encodeURIComponent(value);

/** The router's HTTP API as the UI uses it; every response type is the router's schema type. */
export const api = {
  config: () => request<ServerConfig>('GET', '/config'),
  login: (name: string, password: string) =>
    request<AuthResult>('POST', '/auth/login', { name, password }),
  logout: () => request<AuthResult>('GET', '/config/logout'),
  organizations: () => request<OrganizationList>('GET', '/api/organizations'),
  summary: (org: string) => request<OrgSummary>('GET', `/api/${seg(org)}/summary`),
  streams: (org: string, type: string) =>
    request<StreamList>('GET', `/api/${seg(org)}/streams?type=${seg(type)}`),
  streamSchema: (org: string, stream: string, type: string) =>
    request<StreamJson>('GET', `/api/${seg(org)}/streams/${seg(stream)}/schema?type=${seg(type)}`),
  updateStreamSettings: (org: string, stream: string, type: string, change: StreamSettingsChange) =>
    request<Ack>(
      'PUT',
      `/api/${seg(org)}/streams/${seg(stream)}/settings?type=${seg(type)}`,
      change,
    ),
  deleteStream: (org: string, stream: string, type: string) =>
    request<Ack>('DELETE', `/api/${seg(org)}/streams/${seg(stream)}?type=${seg(type)}`),
  search: (org: string, query: SearchQuery, signal?: AbortSignal, type = 'logs') =>
    request<SearchResponse>(
      'POST',
      `/api/${seg(org)}/_search?type=${seg(type)}`,
      { query },
      signal,
    ),
  /** O2's partition plan: the range in slices, newest first, each searched on its own. */
  searchPartition: (
    org: string,
    query: Pick<SearchQuery, 'sql' | 'start_time' | 'end_time'>,
    signal?: AbortSignal,
  ) =>
    request<SearchPartitionResponse>(
      'POST',
      `/api/${seg(org)}/_search_partition?type=logs`,
      query,
      signal,
    ),
  values: (
    org: string,
    stream: string,
    field: string,
    range: { start: number; end: number },
    type = 'logs',
    size = 10,
    /** O2's `col=v1,v2`: only rows whose `col` is one of the values. */
    filter?: string,
  ) =>
    request<ValuesResponse>(
      'GET',
      `/api/${seg(org)}/${seg(stream)}/_values?fields=${seg(field)}&size=${size}&type=${seg(type)}` +
        (filter === undefined ? '' : `&filter=${seg(filter)}`) +
        `&start_time=${range.start}&end_time=${range.end}`,
    ),
  around: (org: string, stream: string, keyUs: number, size: number) =>
    request<SearchResponse>(
      'GET',
      `/api/${seg(org)}/${seg(stream)}/_around?key=${keyUs}&size=${size}&type=logs`,
    ),
  alerts: (org: string) => request<AlertList>('GET', `/api/v2/${seg(org)}/alerts`),
  createAlert: (org: string, alert: object) =>
    request<AlertSaved>('POST', `/api/v2/${seg(org)}/alerts`, alert),
  enableAlert: (org: string, id: string, value: boolean) =>
    request<Ack>('PATCH', `/api/v2/${seg(org)}/alerts/${seg(id)}/enable?value=${value}`),
  deleteAlert: (org: string, id: string) =>
    request<Ack>('DELETE', `/api/v2/${seg(org)}/alerts/${seg(id)}`),
  destinations: (org: string) =>
    request<AlertDestination[]>('GET', `/api/${seg(org)}/alerts/destinations`),
  createDestination: (org: string, destination: object) =>
    request<Ack>('POST', `/api/${seg(org)}/alerts/destinations`, destination),
  templates: (org: string) => request<AlertTemplate[]>('GET', `/api/${seg(org)}/alerts/templates`),
  prebuiltTemplates: (org: string) =>
    request<AlertTemplate[]>('GET', `/api/${seg(org)}/alerts/templates/system/prebuilt`),
  createTemplate: (org: string, template: object) =>
    request<Ack>('POST', `/api/${seg(org)}/alerts/templates`, template),
  alertHistory: (org: string) =>
    request<AlertHistory>('GET', `/api/v2/${seg(org)}/alerts/history?size=100`),
  passcode: (org: string) => request<Passcode>('GET', `/api/${seg(org)}/passcode`),
  rotatePasscode: (org: string) => request<Passcode>('PUT', `/api/${seg(org)}/passcode`),
  users: (org: string) => request<OrgUserList>('GET', `/api/${seg(org)}/users`),
  roles: (org: string) => request<RoleList>('GET', `/api/${seg(org)}/users/roles`),
  addUser: (org: string, user: NewUser) => request<Ack>('POST', `/api/${seg(org)}/users`, user),
  updateRole: (org: string, email: string, role: string) =>
    request<Ack>('PUT', `/api/${seg(org)}/users/${seg(email)}`, { role }),
  removeUser: (org: string, email: string) =>
    request<Ack>('DELETE', `/api/${seg(org)}/users/${seg(email)}`),
};

/** The body of `POST /api/{org}/users` (the router's `createUserBody`). */
export interface NewUser {
  email: string;
  password: string;
  role: string;
  first_name?: string;
  last_name?: string;
}

/** O2's `UpdateStreamSettings`: list settings change by `{add, remove}`, scalars are set. */
export interface StreamSettingsChange {
  full_text_search_keys?: { add: string[]; remove: string[] };
  partition_keys?: { add: string[]; remove: string[] };
  data_retention?: number;
  max_query_range?: number;
}

/** The `query` of a `_search` body (the router's `searchBody`); times in µs. */
export interface SearchQuery {
  sql: string;
  start_time: number;
  end_time: number;
  from: number;
  size: number;
  /** Count every match, not just the page (the result header's "of N"). */
  track_total_hits?: boolean;
}
