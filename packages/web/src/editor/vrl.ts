import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api';

const KEYWORDS = ['if', 'else', 'abort', 'null', 'true', 'false', 'for_each', 'return'];

/**
 * Registers `vrl` (Vector Remap Language, the language of O2 functions): Monarch highlighting of
 * paths (`.field`), variables, strings (with `s'…'` raw and `r'…'` regex literals), numbers,
 * comments and the `!` of infallible calls, plus bracket pairs. No completion: VRL errors come
 * from the server's compile step (the function test panel shows them).
 */
export function registerVrl(monaco: typeof Monaco): void {
  monaco.languages.register({ id: 'vrl' });
  monaco.languages.setLanguageConfiguration('vrl', {
    comments: { lineComment: '#' },
    brackets: [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '(', close: ')' },
      { open: '"', close: '"' },
    ],
  });
  monaco.languages.setMonarchTokensProvider('vrl', {
    keywords: KEYWORDS,
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/[sr]'([^'\\]|\\.)*'/, 'regexp'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/\.[A-Za-z_@][\w@]*/, 'variable'],
        [/\.(?=\s|$)/, 'variable'],
        [/[A-Za-z_]\w*(?=!?\()/, 'type.identifier'],
        [/[A-Za-z_]\w*/, { cases: { '@keywords': 'keyword', '@default': 'identifier' } }],
        [/\d+(\.\d+)?/, 'number'],
        [/[=!<>]=?|\?\?|\|\||&&|[+\-*/|]/, 'operator'],
        [/[{}[\]()]/, '@brackets'],
      ],
    },
  });
}
