import { AppError } from '@o2/errors';

/** `/api/…` paths whose first segment is not an org identifier. */
export const ORG_LESS_API_SEGMENTS: ReadonlySet<string> = new Set([
  'organizations',
  'clusters',
  'invites',
  'license',
  'v2',
]);

export interface ApiPath {
  /** The org identifier in the path, when the route is org-scoped. */
  org?: string;
  /** Decoded segments after the org (or all segments when there is no org). */
  rest: string[];
}

/**
 * Splits a path relative to `/api` into the org and what follows. `/v2/{org}/…` carries its org
 * one segment later.
 */
export function parseApiPath(path: string): ApiPath {
  let segments: string[];
  try {
    segments = path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    throw AppError.invalidArgument('malformed percent-encoding in path');
  }
  const first = segments[0];
  if (first === undefined) return { rest: [] };
  if (first === 'v2') {
    const org = segments[1];
    return org === undefined ? { rest: segments } : { org, rest: segments.slice(2) };
  }
  if (ORG_LESS_API_SEGMENTS.has(first)) return { rest: segments };
  return { org: first, rest: segments.slice(1) };
}
