import { AppError } from '@o2/errors';

/**
 * The one place that decides which org ids and stream names O2TS accepts. Both end up as path
 * segments of object keys (`files/{org}/{type}/{stream}/…`), directories under the data dir and
 * rows of file_list and the metastore, so a name this module accepts is valid in all of them,
 * and every edge (HTTP routes, gRPC ingest, org creation, WAL replay, `fileKey`) asks here.
 */

/** Org identifiers are O2's: ASCII letters, digits and `_`, at most 100 characters. */
export const MAX_ORG_ID_LENGTH = 100;
/** Longer stream names are refused: they would make object keys and index rows unwieldy. */
export const MAX_STREAM_NAME_LENGTH = 256;

const ORG_ID = /^[A-Za-z0-9_]+$/;
// Control characters (NUL breaks Postgres text, newlines break logs and listings) and lone
// surrogates (no UTF-8 form, so no object key) can never be part of a name.
const CONTROL = /\p{Cc}/u;
const GLOB = /[*?[\]]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface StreamNameOptions {
  /** `ZO_FORMAT_STREAM_NAME_TO_LOWERCASE` (default true). */
  toLowercase?: boolean;
  /** `ZO_SKIP_FORMAT_STREAM_NAME` (default false): keep the name exactly as given. */
  skip?: boolean;
}

/** Why `org` is not a valid org identifier, or undefined when it is. */
export function orgIdProblem(org: string): string | undefined {
  if (org.length === 0) return 'Organization identifier is empty';
  if (org.length > MAX_ORG_ID_LENGTH)
    return `Invalid organization identifier: longer than ${MAX_ORG_ID_LENGTH} characters`;
  if (!ORG_ID.test(org))
    return `Invalid organization identifier ${JSON.stringify(org)}: only letters a-z, A-Z, digits and _ are allowed`;
  return undefined;
}

/** The org id as given; INVALID_ARGUMENT naming the rule when it is not valid. */
export function checkOrgId(org: string): string {
  const problem = orgIdProblem(org);
  if (problem !== undefined) throw AppError.invalidArgument(problem);
  return org;
}

/**
 * Why a stream name (already normalised, or kept as given under ZO_SKIP_FORMAT_STREAM_NAME)
 * cannot name a stream, or undefined when it can.
 */
export function streamNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Stream name is empty';
  if (name.length > MAX_STREAM_NAME_LENGTH)
    return `Invalid stream name: longer than ${MAX_STREAM_NAME_LENGTH} characters`;
  const quoted = JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
  if (name === '.' || name.includes('..'))
    return `Invalid stream name ${quoted}: it must not be "." or contain ".."`;
  if (name.includes('/') || name.includes('\\'))
    return `Invalid stream name ${quoted}: it must not contain "/" or "\\"`;
  // DuckDB expands these in every file path it reads, so `a[1]` would read `a1`'s files.
  if (GLOB.test(name))
    return `Invalid stream name ${quoted}: it must not contain "*", "?", "[" or "]"`;
  if (CONTROL.test(name))
    return `Invalid stream name ${quoted}: it must not contain control characters`;
  if (LONE_SURROGATE.test(name))
    return `Invalid stream name ${quoted}: it must be valid Unicode text`;
  if (name.trim() !== name)
    return `Invalid stream name ${quoted}: it must not start or end with whitespace`;
  return undefined;
}

/** A stream name that must already be valid (routes addressing a stream); INVALID_ARGUMENT if not. */
export function checkStreamName(name: string): string {
  const problem = streamNameProblem(name);
  if (problem !== undefined) throw AppError.invalidArgument(problem);
  return name;
}

/**
 * The stream a name given at ingest goes to. O2's `format_stream_name`: every run of characters
 * outside `[a-zA-Z0-9_:]` becomes one `_`, then ASCII letters are lower-cased (unless
 * `toLowercase` is false); `skip` keeps the name as given. The result must then pass
 * `streamNameProblem`, else INVALID_ARGUMENT naming the rule ("Stream name is empty" for "").
 */
export function resolveStreamName(name: string, options: StreamNameOptions = {}): string {
  if (name.length === 0) throw AppError.invalidArgument('Stream name is empty');
  const resolved =
    options.skip === true ? name : formatStreamName(name, options.toLowercase ?? true);
  return checkStreamName(resolved);
}

function isKept(c: number, lower: boolean): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 48 && c <= 58) || c === 95 || (!lower && c >= 65 && c <= 90)
  );
}

function formatStreamName(name: string, lower: boolean): string {
  const n = name.length;
  let i = 0;
  while (i < n && isKept(name.charCodeAt(i), lower)) i++;
  if (i === n) return name;
  let out = name.slice(0, i);
  let inRun = false;
  for (; i < n; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 58) || c === 95) {
      out += name[i];
      inRun = false;
    } else if (c >= 65 && c <= 90) {
      out += lower ? String.fromCharCode(c + 32) : name[i];
      inRun = false;
    } else if (!inRun) {
      out += '_';
      inRun = true;
    }
  }
  return out;
}
