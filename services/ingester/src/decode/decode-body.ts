import { AppError } from '@o2/errors';
import type { IngestFormat } from '@o2/domain';
import { arrayElementRanges, asBuffer, BodyLines, textOf } from './body-pieces.js';

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

/** The body as one text (a single JSON object, or an array the element split gave up on). */
function bodyText(buf: Buffer): string {
  return textOf(buf, 0, buf.length);
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

/** What a `_bulk` action line says, once parsed. */
interface BulkAction {
  action: unknown;
  index: string;
  id: string | undefined;
}

function parseBulkAction(line: string): BulkAction {
  const actionLine = parseJson(line, '_bulk action line');
  if (typeof actionLine !== 'object' || actionLine === null || Array.isArray(actionLine)) {
    throw AppError.invalidArgument('Invalid _bulk action line: expected an object');
  }
  const [action, meta] = Object.entries(actionLine)[0] ?? [];
  const metaObj = (typeof meta === 'object' && meta !== null ? meta : {}) as Record<
    string,
    unknown
  >;
  const index = typeof metaObj['_index'] === 'string' ? metaObj['_index'] : '';
  const id =
    typeof metaObj['_id'] === 'string' || typeof metaObj['_id'] === 'number'
      ? String(metaObj['_id'])
      : undefined;
  return { action, index, id };
}

/** What decoding a body saw beside its documents (filled in as they are iterated). */
export interface BodyScan {
  /** A `_bulk` action line said `delete` (its WAL entry is then v3, see `walHeaderOf`). */
  bulkDelete: boolean;
}

function* bulkDocuments(
  buf: Buffer,
  legacyDelete: boolean,
  scan: BodyScan,
): Generator<RawDocument> {
  const lines = new BodyLines(buf);
  // Shippers repeat one action line (`{"index":{"_index":"x"}}`) for every document: one equal
  // to the previous one (compared as bytes) is neither decoded nor parsed again.
  let lastStart = 0;
  let lastEnd = 0;
  let last: BulkAction | undefined;
  while (lines.next()) {
    if (last === undefined || !lines.sameAs(lastStart, lastEnd)) {
      last = parseBulkAction(lines.text());
      lastStart = lines.start;
      lastEnd = lines.end;
    }
    const { action, index, id } = last;
    if (action === 'delete') scan.bulkDelete = true;
    // O2 ignores deletes, and no document line follows one: the next line is an action line.
    // `legacyDelete`: a body a WAL entry kept from before that rule (v1) replays as it was
    // acknowledged then, with the line after a delete skipped.
    if (action === 'delete' && !legacyDelete) continue;
    const hasDoc = lines.next();
    if (action === 'delete') continue;
    if (!hasDoc)
      throw AppError.invalidArgument(`_bulk ${String(action)} action without a document`);
    const value = parseJson(lines.text(), '_bulk document');
    if (action !== 'index' && action !== 'create' && action !== 'update') {
      yield {
        value,
        stream: index,
        action: 'index',
        error: `Unsupported _bulk action: ${String(action)}`,
      };
      continue;
    }
    const doc: RawDocument = { value, stream: index, action };
    if (id !== undefined) doc.id = id;
    if (index === '' || index === '_' || index === '/') doc.error = 'Stream name is empty';
    yield doc;
  }
}

function* multiDocuments(buf: Buffer): Generator<RawDocument> {
  const lines = new BodyLines(buf);
  while (lines.next()) yield { value: parseJson(lines.text(), 'NDJSON line') };
}

/**
 * The documents of a request body one at a time, each parsed when asked for: the write path
 * parses a large NDJSON body in slices between which the event loop runs other work (see
 * decode-sliced.ts). A malformed line throws when reached, before anything is stored.
 */
export function bodyDocuments(
  format: Extract<IngestFormat, 'json' | 'multi' | 'bulk'>,
  body: Uint8Array,
  legacyBulkDelete = false,
  scan: BodyScan = { bulkDelete: false },
): Iterable<RawDocument> {
  const buf = asBuffer(body);
  switch (format) {
    case 'json':
      return jsonDocuments(buf);
    case 'multi':
      return multiDocuments(buf);
    case 'bulk':
      return bulkDocuments(buf, legacyBulkDelete, scan);
  }
}

/** A `_json` body's documents (parsed whole: an array's elements only once all of them parse). */
function jsonDocuments(buf: Buffer): RawDocument[] {
  const elements = jsonArrayElements(buf);
  if (elements !== undefined) return elements;
  const parsed = parseJson(bodyText(buf), 'request body');
  return Array.isArray(parsed) ? parsed.map((value: unknown) => ({ value })) : [{ value: parsed }];
}

/**
 * A JSON array body parsed element by element (see body-pieces.ts), or undefined when it is not
 * an array or any piece fails: the whole-body parse then answers, with its usual error.
 */
function jsonArrayElements(buf: Buffer): RawDocument[] | undefined {
  const ranges = arrayElementRanges(buf);
  if (ranges === undefined) return undefined;
  const docs: RawDocument[] = [];
  try {
    for (let i = 0; i < ranges.length; i += 2)
      docs.push({ value: JSON.parse(textOf(buf, ranges[i] as number, ranges[i + 1] as number)) });
  } catch {
    return undefined;
  }
  return docs;
}
