import { isAscii } from 'node:buffer';
import { AppError } from '@o2/errors';
import type { IngestFormat } from '@o2/domain';

/** One document of a request, before normalisation; `stream` is set for bulk items. */
export interface RawDocument {
  value: unknown;
  /** Target stream (bulk `_index`); undefined for `_json`/`_multi`, whose stream is in the path. */
  stream?: string;
  /** Bulk action and id, echoed in the response and `_id` stored as a field. */
  action?: 'index' | 'create' | 'update';
  id?: string;
  /** A per-document failure found while decoding (bulk action problems). */
  error?: string;
  /**
   * `value` is already a flat record with formatted keys (a metric sample from @o2/metrics):
   * normalised in place, without flattening it into a copy.
   */
  flat?: true;
}

/**
 * The body as text. Most bodies are pure ASCII, for which the latin1 decoder gives the same
 * string several times faster than UTF-8 decoding; `isAscii` (simdutf) decides in microseconds.
 */
function bodyText(body: Uint8Array): string {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw AppError.invalidArgument(
      `Invalid JSON in ${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** NDJSON lines, skipping blank ones (clients often end with a newline or send CRLF). */
function* lines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '') yield line;
    start = end + 1;
  }
}

function decodeBulk(text: string): RawDocument[] {
  const docs: RawDocument[] = [];
  const it = lines(text);
  for (let next = it.next(); next.done !== true; next = it.next()) {
    const actionLine = parseJson(next.value, '_bulk action line');
    if (typeof actionLine !== 'object' || actionLine === null || Array.isArray(actionLine)) {
      throw AppError.invalidArgument('Invalid _bulk action line: expected an object');
    }
    const [action, meta] = Object.entries(actionLine)[0] ?? [];
    const docLine = it.next();
    if (action === 'delete') continue; // O2 ignores deletes: no document line follows
    if (docLine.done === true)
      throw AppError.invalidArgument(`_bulk ${String(action)} action without a document`);
    const value = parseJson(docLine.value, '_bulk document');
    const metaObj = (typeof meta === 'object' && meta !== null ? meta : {}) as Record<
      string,
      unknown
    >;
    const index = typeof metaObj['_index'] === 'string' ? metaObj['_index'] : '';
    const id =
      typeof metaObj['_id'] === 'string' || typeof metaObj['_id'] === 'number'
        ? String(metaObj['_id'])
        : undefined;
    if (action !== 'index' && action !== 'create' && action !== 'update') {
      docs.push({
        value,
        stream: index,
        action: 'index',
        error: `Unsupported _bulk action: ${String(action)}`,
      });
      continue;
    }
    const doc: RawDocument = { value, stream: index, action };
    if (id !== undefined) doc.id = id;
    if (index === '' || index === '_' || index === '/') doc.error = 'Stream name is empty';
    docs.push(doc);
  }
  return docs;
}

/**
 * The documents of a request body. Malformed JSON fails the whole request with 400 (as O2
 * does); a document that is valid JSON but not an object fails alone, later, in normalisation.
 */
export function decodeBody(
  format: Extract<IngestFormat, 'json' | 'multi' | 'bulk'>,
  body: Uint8Array,
): RawDocument[] {
  const text = bodyText(body);
  switch (format) {
    case 'json': {
      const parsed = parseJson(text, 'request body');
      return Array.isArray(parsed)
        ? parsed.map((value: unknown) => ({ value }))
        : [{ value: parsed }];
    }
    case 'multi': {
      const docs: RawDocument[] = [];
      for (const line of lines(text)) docs.push({ value: parseJson(line, 'NDJSON line') });
      return docs;
    }
    case 'bulk':
      return decodeBulk(text);
  }
}
