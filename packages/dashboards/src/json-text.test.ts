import { describe, expect, it } from 'vitest';
import { setTopLevel, topLevelText } from './json-text.js';

describe('top-level edits of JSON text', () => {
  it('replaces a value in place and leaves every other byte alone', () => {
    const text = '{ "a" : 1.50,\n  "id": "old", "n": {"id": "nested"}, "s": "\\u00e9\\"}" }';
    expect(setTopLevel(text, 'id', '"new"')).toBe(
      '{ "a" : 1.50,\n  "id": "new", "n": {"id": "nested"}, "s": "\\u00e9\\"}" }',
    );
    expect(topLevelText(text, 'n')).toBe('{"id": "nested"}');
    expect(topLevelText(text, 's')).toBe('"\\u00e9\\"}"');
    expect(topLevelText(text, 'missing')).toBeUndefined();
  });

  it('appends a missing key after the last member, or into an empty object', () => {
    expect(setTopLevel('{"a":[1,{"b":"]"}]}\n', 'z', 'true')).toBe(
      '{"a":[1,{"b":"]"}],"z":true}\n',
    );
    expect(setTopLevel(' { } ', 'z', '0')).toBe(' { "z":0} ');
  });

  it('edits the occurrence JSON.parse reads when a key repeats', () => {
    const edited = setTopLevel('{"k":1,"k":2}', 'k', '3');
    expect(edited).toBe('{"k":1,"k":3}');
    expect(JSON.parse(edited)).toEqual({ k: 3 });
  });

  it('refuses text that is not an object', () => {
    expect(() => setTopLevel('[1]', 'k', '1')).toThrow(TypeError);
  });
});
