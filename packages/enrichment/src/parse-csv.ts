import { AppError } from '@o2/errors';
import { formatKey } from '@o2/schema';

/** A parsed enrichment-table CSV: the header's column names and every row as strings. */
export interface CsvTable {
  columns: string[];
  /** One array per data row, as long as `columns`. */
  rows: string[][];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * RFC 4180 records: `,` separates fields, `"` quotes a field (inside, `""` is one quote, and
 * commas and line breaks are data), a record ends at LF, CRLF or CR. Blank lines are skipped.
 * A quote inside an unquoted field, text after a closing quote or an unclosed quote is an error.
 */
function* records(text: string): Generator<{ fields: string[]; line: number }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let blank = true;
    for (;;) {
      let field = '';
      if (text.charCodeAt(i) === QUOTE) {
        blank = false;
        i++;
        for (;;) {
          if (i >= n) throw AppError.invalidArgument(`CSV line ${startLine}: unclosed quote`);
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
          field += text[i];
          i++;
        }
        const next = i < n ? text.charCodeAt(i) : LF;
        if (next !== COMMA && next !== LF && next !== CR) {
          throw AppError.invalidArgument(`CSV line ${line}: text after a closing quote`);
        }
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw AppError.invalidArgument(`CSV line ${line}: quote inside an unquoted field`);
          }
          i++;
        }
        field = text.slice(start, i);
        if (field !== '') blank = false;
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === COMMA) {
        blank = false;
        i++;
        continue;
      }
      // End of record: LF, CRLF, CR or end of text.
      if (text.charCodeAt(i) === CR) i++;
      if (text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    if (!blank) yield { fields, line: startLine };
  }
}

/**
 * An uploaded CSV as an enrichment table: a UTF-8 BOM is dropped, the first record is the
 * header (names formatted as stored field names, like ingested keys), every value stays a string
 * (as O2 stores them). 400 for an empty file, a header without data rows, empty or duplicate
 * column names, the reserved `_timestamp`, or a row whose field count differs from the header's.
 */
export function parseCsv(input: string): CsvTable {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const all = records(text);
  const header = all.next();
  if (header.done === true) throw AppError.invalidArgument('CSV file is empty');
  const columns = header.value.fields.map((name) => formatKey(name.trim()));
  const seen = new Set<string>();
  for (const [i, name] of columns.entries()) {
    if (name === '') throw AppError.invalidArgument(`CSV column ${i + 1} has no name`);
    if (name === '_timestamp') {
      throw AppError.invalidArgument('CSV column _timestamp is reserved');
    }
    if (seen.has(name)) throw AppError.invalidArgument(`CSV column ${name} appears twice`);
    seen.add(name);
  }
  const rows: string[][] = [];
  for (const { fields, line } of all) {
    if (fields.length !== columns.length) {
      throw AppError.invalidArgument(
        `CSV line ${line} has ${fields.length} fields, the header has ${columns.length}`,
      );
    }
    rows.push(fields);
  }
  if (rows.length === 0) throw AppError.invalidArgument('CSV file has no data rows');
  return { columns, rows };
}
