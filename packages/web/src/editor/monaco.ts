// Monaco as O2 uses it (UI-SPEC §14.1): the editor API plus the SQL language and our PromQL (the full
// `monaco-editor` entry would bundle every language), one editor worker, and the instance on
// `window.monaco` for automation. Loaded lazily by the pages that edit queries.
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/basic-languages/sql/sql.contribution';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import { registerO2Sql } from './o2-sql';
import { registerPromql } from './promql';

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

export { monaco };
