import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api';
import { PROMQL_FUNCTIONS, promqlSpot } from './promql-context';

/** What completion asks the page for: the metrics page and the panel editor supply it. */
export interface PromqlSource {
  metrics(): Promise<Array<{ name: string; type?: string; help?: string }>>;
  labels(metric: string | undefined): Promise<string[]>;
  values(metric: string | undefined, label: string): Promise<string[]>;
}

let source: PromqlSource | undefined;
export function setPromqlSource(next: PromqlSource | undefined): void {
  source = next;
}

const KEYWORDS = [
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
];

/** Registers `promql`: Monarch highlighting and completion of metrics, labels, values, functions. */
export function registerPromql(monaco: typeof Monaco): void {
  monaco.languages.register({ id: 'promql' });
  monaco.languages.setMonarchTokensProvider('promql', {
    keywords: KEYWORDS,
    functions: PROMQL_FUNCTIONS.map(([name]) => name),
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/'([^'\\]|\\.)*'/, 'string'],
        [/\[[0-9smhdwy:]+\]/, 'number'],
        [/\d+(\.\d+)?/, 'number'],
        [
          /[a-zA-Z_:][\w:]*/,
          {
            cases: { '@keywords': 'keyword', '@functions': 'predefined', '@default': 'identifier' },
          },
        ],
        [/=~|!~|!=|==|[=<>+\-*/%^]/, 'operator'],
      ],
    },
  });
  monaco.languages.registerCompletionItemProvider('promql', {
    triggerCharacters: ['{', ',', '"', '(', '='],
    provideCompletionItems: async (model, position) => {
      const before = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const spot = promqlSpot(before);
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: position.column - spot.prefix.length,
        endColumn: position.column,
      };
      const kinds = monaco.languages.CompletionItemKind;
      if (source === undefined) return { suggestions: [] };
      if (spot.kind === 'value') {
        const values = await source.values(spot.metric, spot.label);
        return {
          suggestions: values.map((v) => ({ label: v, kind: kinds.Value, insertText: v, range })),
        };
      }
      if (spot.kind === 'label') {
        const labels = await source.labels(spot.metric);
        return {
          suggestions: labels.map((l) => ({ label: l, kind: kinds.Field, insertText: l, range })),
        };
      }
      const metrics = await source.metrics();
      return {
        suggestions: [
          ...metrics.map((m) => ({
            label: m.name,
            kind: kinds.Variable,
            insertText: m.name,
            detail: m.type ?? '',
            documentation: m.help ?? '',
            range,
          })),
          ...PROMQL_FUNCTIONS.map(([name, doc]) => ({
            label: name,
            kind: kinds.Function,
            insertText: `${name}($0)`,
            insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
            documentation: doc,
            range,
          })),
          ...KEYWORDS.map((k) => ({ label: k, kind: kinds.Keyword, insertText: k, range })),
        ],
      };
    },
  });
}
