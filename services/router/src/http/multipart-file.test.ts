import { describe, expect, it } from 'vitest';
import { multipartBoundary, multipartFiles, singleMultipartFile } from './multipart-file.js';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'));

describe('multipart/form-data file parts', () => {
  it('reads the boundary, quoted or not, and refuses other types', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b:c"')).toBe('a b:c');
    expect(() => multipartBoundary('text/csv')).toThrow(/multipart\/form-data/);
    expect(() => multipartBoundary('multipart/form-data')).toThrow(/boundary/);
    expect(() => multipartBoundary(undefined)).toThrow(/multipart\/form-data/);
  });

  it('returns file parts byte for byte (CRLF and dashes inside), skipping fields and the preamble', () => {
    const body = crlf([
      'preamble text',
      '--XyZ',
      'Content-Disposition: form-data; name="note"',
      '',
      'not a file',
      '--XyZ',
      'Content-Disposition: form-data; name="file"; filename="users \\"1\\".csv"',
      'Content-Type: text/csv',
      '',
      'id,name\r\n1,--XyZ-ish\r\n',
      '--XyZ--',
      '',
    ]);
    const files = multipartFiles(body, 'XyZ');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      field: 'file',
      filename: 'users "1".csv',
      contentType: 'text/csv',
    });
    expect(files[0]?.data.toString()).toBe('id,name\r\n1,--XyZ-ish\r\n');
  });

  it('refuses a body without a file, with two files, or cut short', () => {
    const type = 'multipart/form-data; boundary=b';
    const field = crlf(['--b', 'Content-Disposition: form-data; name="x"', '', 'v', '--b--']);
    expect(() => singleMultipartFile(field, type)).toThrow(/no file/);
    const part = (n: string) => [
      `--b`,
      `Content-Disposition: form-data; name="${n}"; filename="${n}.csv"`,
      '',
      'a',
    ];
    const two = crlf([...part('f1'), ...part('f2'), '--b--']);
    expect(() => singleMultipartFile(two, type)).toThrow(/exactly one file/);
    expect(() => singleMultipartFile(crlf(part('f1')), type)).toThrow(/closing boundary/);
    expect(() => singleMultipartFile(Buffer.from('nothing'), type)).toThrow(/without its boundary/);
  });
});
