import { describe, expect, it } from 'vitest';
import { arrayElementRanges } from './body-pieces.js';
import { bodyDocuments } from './decode-body.js';

/**
 * Every document of a body, as the write path reads them: malformed JSON fails the whole
 * request with 400 (as O2 does); a valid non-object fails alone, later, in normalisation.
 */
const decodeBody = (...args: Parameters<typeof bodyDocuments>) => [...bodyDocuments(...args)];

const bytes = (text: string) => Buffer.from(text, 'utf8');
const values = (format: 'json' | 'multi' | 'bulk', text: string) =>
  decodeBody(format, bytes(text)).map((d) => d.value);

describe('decodeBody piece by piece', () => {
  // Bodies where every element must come out exactly as one JSON.parse of the whole body.
  const arrays = [
    '[]',
    ' [ ] ',
    '[{"a":1}]',
    '[{"a":"x, y]"},{"b":"q\\"}"}]',
    '[{"a":"\\\\"},{"b":"\\\\\\""}]',
    '[1, "two", null, true, [3, [4]], {"n":{"m":[]}}]',
    '\r\n[\t{"é":"ünï ✓"} ,\n {"k":"ascii"}\n]\n',
    '[{"emoji":"😀"},{"mixed":"a\u00e9b"}]',
  ];
  it.each(arrays)('%j decodes like the whole-body parse', (text) => {
    expect(values('json', text)).toEqual(JSON.parse(text));
  });

  it('a single object is one document', () => {
    expect(values('json', '{"a":"é"}')).toEqual([{ a: 'é' }]);
  });

  // Malformed bodies keep the whole-body error (400 with the parser's words).
  const malformed = [
    '[{"a":1}',
    '[{"a":1},]',
    '[{"a":1} {"b":2}]',
    '[1,,2]',
    '[1] x',
    '[{"a":1}}]',
  ];
  it.each(malformed)('%j fails as invalid JSON of the request body', (text) => {
    expect(() => decodeBody('json', bytes(text))).toThrow(/^Invalid JSON in request body/);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('the splitter gives up (undefined) on anything that is not a well-formed array', () => {
    for (const text of ['{"a":1}', '[{"a":"unterminated]', '"x"'])
      expect(arrayElementRanges(bytes(text))).toBeUndefined();
    expect(arrayElementRanges(bytes('[1, {"a":[2]}]'))).toEqual([1, 2, 4, 13]);
  });

  it('NDJSON and _bulk lines decode per line, UTF-8 or not, with CRLF and blank lines', () => {
    const text = '{"a":"ü"}\r\n\r\n{"b":"plain"}\n   \n{"c":"😀"}';
    expect(values('multi', text)).toEqual([{ a: 'ü' }, { b: 'plain' }, { c: '😀' }]);
    const bulk =
      '{"index":{"_index":"s1"}}\n{"m":"é"}\n{"index":{"_index":"s1"}}\n{"m":"x"}\n' +
      '{"create":{"_index":"s2","_id":7}}\n{"m":"y"}\n';
    const docs = decodeBody('bulk', bytes(bulk));
    expect(docs.map((d) => [d.stream, d.action, d.id, d.value])).toEqual([
      ['s1', 'index', undefined, { m: 'é' }],
      ['s1', 'index', undefined, { m: 'x' }],
      ['s2', 'create', '7', { m: 'y' }],
    ]);
  });

  it('a _bulk delete has no document line: the line after it is the next action', () => {
    const bulk =
      '{"index":{"_index":"a"}}\n{"m":1}\n{"delete":{"_index":"a","_id":"7"}}\n' +
      '{"create":{"_index":"b"}}\n{"m":2}\n{"delete":{"_index":"a","_id":"8"}}\n';
    const docs = decodeBody('bulk', bytes(bulk));
    expect(docs.map((d) => [d.stream, d.action, d.value])).toEqual([
      ['a', 'index', { m: 1 }],
      ['b', 'create', { m: 2 }],
    ]);
  });

  it('lines are trimmed as String#trim does: a BOM or no-break space at an edge, blank or not', () => {
    // \ufeff and \u00a0 are whitespace to trim() but not to JSON.parse.
    const text = '\ufeff{"a":1}\u00a0\n\u00a0\u3000\n\t{"b":"\u00a0"}\u00a0 \r\n';
    expect(values('multi', text)).toEqual([{ a: 1 }, { b: '\u00a0' }]);
    expect(() => decodeBody('multi', bytes('{"a":1}\n\u00a0x\u00a0\n'))).toThrow(
      /^Invalid JSON in NDJSON line/,
    );
  });

  it('each _bulk action line counts, repeated or changed, with its own spacing', () => {
    const bulk =
      '{"index":{"_index":"a"}}\n{"n":1}\n{"index":{"_index":"b","_id":"x"}}\n{"n":2}\n' +
      ' {"index":{"_index":"b","_id":"x"}}\r\n{"n":3}\n{"index":{"_index":"a"}}\n{"n":4}\n' +
      '{"index":{"_index":"a"}}\n{"n":5}';
    const docs = decodeBody('bulk', bytes(bulk));
    expect(docs.map((d) => [d.stream, d.id, d.value])).toEqual([
      ['a', undefined, { n: 1 }],
      ['b', 'x', { n: 2 }],
      ['b', 'x', { n: 3 }],
      ['a', undefined, { n: 4 }],
      ['a', undefined, { n: 5 }],
    ]);
    expect(() =>
      decodeBody('bulk', bytes('{"index":{"_index":"a"}}\n{"n":1}\n{"index":{}}')),
    ).toThrow('_bulk index action without a document');
  });

  it('a bad _bulk action line still fails the request', () => {
    expect(() => decodeBody('bulk', bytes('{"index":\n{"m":1}\n'))).toThrow(
      /^Invalid JSON in _bulk action line/,
    );
    expect(() => decodeBody('bulk', bytes('[1]\n{"m":1}\n'))).toThrow(
      'Invalid _bulk action line: expected an object',
    );
  });
});
