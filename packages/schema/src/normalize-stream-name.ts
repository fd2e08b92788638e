import { AppError } from '@o2/errors';

export interface StreamNameOptions {
  /** `ZO_FORMAT_STREAM_NAME_TO_LOWERCASE` (default true). */
  toLowercase?: boolean;
  /** `ZO_SKIP_FORMAT_STREAM_NAME` (default false): keep the name exactly as given. */
  skip?: boolean;
}

/**
 * O2's `format_stream_name`: every run of characters outside `[a-zA-Z0-9_:]` becomes one `_`,
 * then ASCII letters are lower-cased. An empty name is INVALID_ARGUMENT "Stream name is empty".
 */
export function normalizeStreamName(name: string, options: StreamNameOptions = {}): string {
  if (name.length === 0) throw AppError.invalidArgument('Stream name is empty');
  if (options.skip === true) return name;
  const lower = options.toLowercase ?? true;
  const n = name.length;
  let i = 0;
  for (; i < n; i++) {
    const c = name.charCodeAt(i);
    if (!(
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 58) ||
      c === 95 ||
      (!lower && c >= 65 && c <= 90)
    ))
      break;
  }
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
