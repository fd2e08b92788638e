import { describe, expect, it } from 'vitest';
import { parseCsv } from './parse-csv.js';

const problem = (text: string): string => {
  try {
    parseCsv(text);
  } catch (err) {
    return `${(err as { code: string }).code}: ${(err as Error).message}`;
  }
  return 'parsed';
};

describe('parseCsv', () => {
  it('reads a header and rows, every value a string', () => {
    expect(parseCsv('id,name,age\n1,ann,30\n2,bob,41\n')).toEqual({
      columns: ['id', 'name', 'age'],
      rows: [
        ['1', 'ann', '30'],
        ['2', 'bob', '41'],
      ],
    });
  });

  it('keeps commas, line breaks and escaped quotes inside quoted fields', () => {
    const csv = 'id,note\r\n1,"a, b"\r\n2,"say ""hi""\r\nnext line"\r\n3,""\r\n';
    expect(parseCsv(csv).rows).toEqual([
      ['1', 'a, b'],
      ['2', 'say "hi"\r\nnext line'],
      ['3', ''],
    ]);
  });

  it('drops a UTF-8 BOM, accepts CR line ends, skips blank lines, keeps a last line without newline', () => {
    expect(parseCsv('\uFEFFid,v\r1,x\r\r\n\n2,y')).toEqual({
      columns: ['id', 'v'],
      rows: [
        ['1', 'x'],
        ['2', 'y'],
      ],
    });
  });

  it('formats header names as stored field names', () => {
    expect(parseCsv('User ID,E-Mail\n1,a@b\n').columns).toEqual(['user_id', 'e_mail']);
  });

  it('refuses empty files, headers without rows, bad headers and ragged rows with 400s', () => {
    expect(problem('')).toBe('INVALID_ARGUMENT: CSV file is empty');
    expect(problem('\uFEFF\r\n\n')).toBe('INVALID_ARGUMENT: CSV file is empty');
    expect(problem('id,name\n')).toBe('INVALID_ARGUMENT: CSV file has no data rows');
    expect(problem('id,ID\n1,2\n')).toBe('INVALID_ARGUMENT: CSV column id appears twice');
    expect(problem('id,,x\n1,2,3\n')).toBe('INVALID_ARGUMENT: CSV column 2 has no name');
    expect(problem('_timestamp,x\n1,2\n')).toBe(
      'INVALID_ARGUMENT: CSV column _timestamp is reserved',
    );
    expect(problem('id,v\n1,2\n3\n')).toBe(
      'INVALID_ARGUMENT: CSV line 3 has 1 fields, the header has 2',
    );
    expect(problem('id,v\n1,"open\n')).toBe('INVALID_ARGUMENT: CSV line 2: unclosed quote');
    expect(problem('id,v\n1,"a"b\n')).toBe(
      'INVALID_ARGUMENT: CSV line 2: text after a closing quote',
    );
    expect(problem('id,v\n1,a"b\n')).toBe(
      'INVALID_ARGUMENT: CSV line 2: quote inside an unquoted field',
    );
  });
});
