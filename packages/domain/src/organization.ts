import { orgIdProblem } from './names.js';

/** The organization every install has; root is created in it. */
export const DEFAULT_ORG = 'default';
/** O2's meta organization for its own usage data. */
export const META_ORG = '_meta';

// O2 org names: alphanumerics, spaces and `_`; identifiers are what appears in URLs.
const ORG_NAME = /^[A-Za-z0-9_ ]+$/;

export function isValidOrgName(name: string): boolean {
  return name.trim().length > 0 && name.length <= 100 && ORG_NAME.test(name);
}

/** See `orgIdProblem` in names.ts, the rule every edge applies. */
export function isValidOrgIdentifier(id: string): boolean {
  return orgIdProblem(id) === undefined;
}

/** An identifier derived from a name: lower-case, spaces become `_`. */
export function orgIdentifierFromName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '_');
}
