import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api';

/** O2's search functions (the router's `query_functions` list) with their snippets. */
const O2_FUNCTIONS = [
  ['match_all', "match_all('${1:text}')"],
  ['str_match', "str_match(${1:field}, '${2:text}')"],
  ['str_match_ignore_case', "str_match_ignore_case(${1:field}, '${2:text}')"],
  ['re_match', "re_match(${1:field}, '${2:pattern}')"],
  ['re_not_match', "re_not_match(${1:field}, '${2:pattern}')"],
  ['fuzzy_match', "fuzzy_match(${1:field}, '${2:text}', ${3:1})"],
  ['histogram', 'histogram(_timestamp)'],
  ['count', 'count(*)'],
  ['approx_distinct', 'approx_distinct(${1:field})'],
] as const;

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'IS NULL',
  'IS NOT NULL',
  'GROUP BY',
  'ORDER BY',
  'ASC',
  'DESC',
  'LIMIT',
  'AS',
  'DISTINCT',
  'BETWEEN',
];

/** Field names of the stream being searched; the logs page keeps it current. */
let fields: string[] = [];
export function setCompletionFields(next: string[]): void {
  fields = next;
}

let registered = false;

/** O2 SQL completion: stream fields, O2 functions, keywords. */
export function registerO2Sql(monaco: typeof Monaco): void {
  if (registered) return;
  registered = true;
  monaco.languages.registerCompletionItemProvider('sql', {
    provideCompletionItems: (model, position) => {
      const word = model.getWordUntilPosition(position);
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endColumn: word.endColumn,
      };
      const { CompletionItemKind, CompletionItemInsertTextRule } = monaco.languages;
      return {
        suggestions: [
          ...fields.map((name) => ({
            label: name,
            kind: CompletionItemKind.Field,
            insertText: name,
            range,
          })),
          ...O2_FUNCTIONS.map(([label, snippet]) => ({
            label,
            kind: CompletionItemKind.Function,
            insertText: snippet,
            insertTextRules: CompletionItemInsertTextRule.InsertAsSnippet,
            range,
          })),
          ...KEYWORDS.map((k) => ({
            label: k,
            kind: CompletionItemKind.Keyword,
            insertText: k,
            range,
          })),
        ],
      };
    },
  });
}
