import type { Request } from 'express';
import { AppError } from '@o2/errors';
import { queryParam } from '../http/query-params.js';

/** O2's `search_type` values (O2-CONTRACT §4.1). */
export const SEARCH_TYPES = [
  'ui',
  'dashboards',
  'reports',
  'alerts',
  'values',
  'other',
  'rum',
  'derived_stream',
  'search_job',
  'download',
  'insights',
] as const;

/** The dashboard context a panel's query carries in its query string. */
const CONTEXT_KEYS = [
  'dashboard_id',
  'dashboard_name',
  'folder_id',
  'folder_name',
  'panel_id',
  'panel_name',
  'tab_id',
  'tab_name',
  'run_id',
] as const;

export type SearchContext = { search_type?: string } & Partial<
  Record<(typeof CONTEXT_KEYS)[number], string>
>;

/**
 * `?search_type=` (checked: one of O2's values, else 400) and the dashboard ids a panel's query
 * sends along. They change nothing in the answer; they are logged with the search so a slow or
 * failing panel can be traced to its dashboard (O2 records them in its usage stream).
 */
export function searchContext(req: Request): SearchContext {
  const context: SearchContext = {};
  const type = queryParam(req, 'search_type');
  if (type !== undefined) {
    if (!(SEARCH_TYPES as readonly string[]).includes(type))
      throw AppError.invalidArgument(`invalid search_type: ${type}`);
    context.search_type = type;
  }
  for (const key of CONTEXT_KEYS) {
    const value = queryParam(req, key);
    // Bounded: this goes to the log, and a query string can be long.
    if (value !== undefined) context[key] = value.slice(0, 256);
  }
  return context;
}
