// Monaco as O2 uses it (UI-SPEC §14.1): the editor API plus the SQL language, our PromQL and VRL (the full
// `monaco-editor` entry would bundle every language), one editor worker, and the instance on
// `window.monaco` for automation. Loaded lazily by the pages that edit queries.
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/basic-languages/sql/sql.contribution';
// The editor API alone has no completion UI: the suggest widget (and the snippet controller
// that inserts `fn($0)` completions) are contributions of their own.
import 'monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/esm/vs/editor/contrib/snippet/browser/snippetController2';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import { registerO2Sql } from './o2-sql';
import { registerPromql } from './promql';
import { registerVrl } from './vrl';

declare global {
  interface Window {
    monaco?: typeof monaco;
    MonacoEnvironment?: monaco.Environment;
  }
}

window.MonacoEnvironment = { getWorker: () => new EditorWorker() };
window.monaco = monaco;
registerO2Sql(monaco);
registerPromql(monaco);
registerVrl(monaco);

export { monaco };
