import { useEffect, useRef } from 'react';
import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api';

interface Props {
  dataTest: string;
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun: () => void;
  dark: boolean;
  ariaLabel: string;
  /** `sql` (default) or `promql`. */
  language?: string;
}

/** A one-model Monaco editor (SQL or PromQL) (Monaco itself loads with this chunk). */
export default function CodeEditor(props: Props) {
  const { dataTest, value, onChange, onRun, dark, ariaLabel, language } = props;
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Monaco.editor.IStandaloneCodeEditor | undefined>(undefined);
  const latest = useRef({ onChange, onRun });
  latest.current = { onChange, onRun };

  useEffect(() => {
    let disposed = false;
    void import('./monaco').then(({ monaco }) => {
      if (disposed || host.current === null) return;
      const instance = monaco.editor.create(host.current, {
        value,
        language: language ?? 'sql',
        minimap: { enabled: false },
        lineNumbers: 'off',
        scrollBeyondLastLine: false,
        automaticLayout: true,
        fontSize: 13,
        wordWrap: 'on',
        ariaLabel,
        theme: dark ? 'vs-dark' : 'vs',
      });
      instance.onDidChangeModelContent(() => latest.current.onChange(instance.getValue()));
      instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () =>
        latest.current.onRun(),
      );
      editor.current = instance;
    });
    return () => {
      disposed = true;
      editor.current?.dispose();
      editor.current = undefined;
    };
    // The editor is created once; value/theme changes are pushed by the effects below.
  }, []);

  useEffect(() => {
    const instance = editor.current;
    if (instance !== undefined && instance.getValue() !== value) instance.setValue(value);
  }, [value]);

  useEffect(() => {
    void import('./monaco').then(({ monaco }) => monaco.editor.setTheme(dark ? 'vs-dark' : 'vs'));
  }, [dark]);

  return <div className="code-editor" data-test={dataTest} ref={host} />;
}
