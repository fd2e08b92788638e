import { AppError } from '@o2/errors';

/** One uploaded file of a `multipart/form-data` body. */
export interface UploadedFile {
  /** The form field it came in (O2's UI sends `file`). */
  field: string;
  filename: string;
  contentType: string | undefined;
  data: Buffer;
}

const bad = (message: string): AppError => AppError.invalidArgument(message);

/** The boundary of a `multipart/form-data` Content-Type; 400 for any other type. */
export function multipartBoundary(contentType: string | undefined): string {
  const [type, ...params] = (contentType ?? '').split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data')
    throw bad('expected a multipart/form-data body with one CSV file');
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    // RFC 2046: 1 to 70 characters.
    if (value.length >= 1 && value.length <= 70) return value;
  }
  throw bad('multipart/form-data without a valid boundary');
}

/** A header parameter (`name="x"`) of a Content-Disposition value. */
function dispositionParam(disposition: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const match = re.exec(disposition);
  if (match === null) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * The file parts of a buffered `multipart/form-data` body (RFC 7578): parts whose
 * Content-Disposition names a `filename`. Fields without one are ignored. 400 when the body is
 * not well formed (no opening or closing delimiter, a part without a header end).
 */
export function multipartFiles(body: Buffer, boundary: string): UploadedFile[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw bad('multipart body without its boundary');
  at += delimiter.length;
  const files: UploadedFile[] = [];
  for (;;) {
    // After a delimiter: `--` ends the body, else (whitespace then) CRLF opens a part.
    if (body.subarray(at, at + 2).toString('latin1') === '--') return files;
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw bad('multipart body ends inside a delimiter line');
    const headerStart = lineEnd + 2;
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    const next = body.indexOf(separator, headerStart);
    if (next < 0) throw bad('multipart body without its closing boundary');
    if (headerEnd < 0 || headerEnd > next) throw bad('multipart part without headers');
    const headers = parseHeaders(body.subarray(headerStart, headerEnd).toString('utf8'));
    const disposition = headers.get('content-disposition') ?? '';
    const filename = dispositionParam(disposition, 'filename');
    if (filename !== undefined) {
      files.push({
        field: dispositionParam(disposition, 'name') ?? '',
        filename,
        contentType: headers.get('content-type'),
        data: body.subarray(headerEnd + 4, next),
      });
    }
    at = next + separator.length;
  }
}

/** The body's one file; 400 when it holds none or several. */
export function singleMultipartFile(body: Buffer, contentType: string | undefined): UploadedFile {
  const files = multipartFiles(body, multipartBoundary(contentType));
  if (files.length === 0) throw bad('no file in the multipart body; send the CSV as a file part');
  if (files.length > 1) throw bad('send exactly one file');
  return files[0]!;
}
