import { useEffect, useRef } from 'react';
import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api';

interface Props {
  dataTest: string;
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun?: () => void;
  dark: boolean;
  ariaLabel: string;
  /** `sql` (default), `promql`, `vrl` or `plaintext` (JSON documents). */
  language?: string;
  readOnly?: boolean;
  /** Line numbers help in multi-line sources (VRL, JSON); queries are one line. */
  lineNumbers?: boolean;
}

/** A one-model Monaco editor (SQL, PromQL, VRL or plain JSON) (Monaco loads with this chunk). */
export default function CodeEditor(props: Props) {
  const { dataTest, value, onChange, onRun, dark, ariaLabel, language } = props;
  const { readOnly, lineNumbers } = props;
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
        lineNumbers: lineNumbers === true ? 'on' : 'off',
        readOnly: readOnly === true,
        scrollBeyondLastLine: false,
        automaticLayout: true,
        fontSize: 13,
        wordWrap: 'on',
        ariaLabel,
        theme: dark ? 'vs-dark' : 'vs',
      });
      instance.onDidChangeModelContent(() => latest.current.onChange(instance.getValue()));
      instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () =>
        latest.current.onRun?.(),
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
