import { describe, expect, it } from 'vitest';
import { streamFtsKeys } from './stream-fts-keys.js';

describe('the full-text fields a token index must cover to rule a file out', () => {
  const schema = [
    { name: '_timestamp', type: 'Int64' },
    { name: 'log', type: 'Utf8' },
    { name: 'data', type: 'Int64' },
    { name: 'error', type: 'Boolean' },
    { name: 'note', type: 'Utf8' },
    { name: 'code', type: 'Int64' },
  ];

  it('asks nothing of the default text fields, which every index was built with', () => {
    const fields = streamFtsKeys({}, schema.slice(0, 2));
    expect(fields('zebra42')).toEqual([]);
    expect(fields('42')).toEqual([]);
  });

  it('asks for a key from the settings, which an older index may lack, on every term', () => {
    const fields = streamFtsKeys({ full_text_search_keys: ['note', 'nowhere', 7] }, schema);
    expect(fields('zebra42')).toEqual(['note']); // `nowhere` is in no file: nothing to search
  });

  it('asks for number and boolean fields only on terms their text could hold', () => {
    const fields = streamFtsKeys({ full_text_search_keys: ['code'] }, schema);
    // DuckDB's text of 4242, -1.5e+20, true: a term of those characters may be in it.
    for (const term of ['4242', '-1.5e+20', 'true', 'fals', 'nan', 'INF'])
      expect(fields(term)).toEqual(['data', 'error', 'code']);
    // A letter no number or boolean prints (z, o, k, _) rules them out.
    for (const term of ['zebra42', 'error', 'ok', 'a_1']) expect(fields(term)).toEqual([]);
  });

  it('asks an index that lists every field asked for to cover the default text fields too', () => {
    const fields = streamFtsKeys({ full_text_search_keys: ['note'] }, schema);
    // Such an index lacks `log` only if the file held it as a number: it must not rule out then.
    expect(fields('zebra42', true)).toEqual(['note', 'log']);
    expect(fields('zebra42')).toEqual(['note']);
    expect(fields('4242', true)).toEqual(['note', 'data', 'error', 'log']);
  });
});
