import { useId } from 'react';
import type { InputHTMLAttributes } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> {
  /** O2's id: `<id>` on the wrapper (a <label>, so Playwright's fill() reaches the input). */
  dataTest: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}

/** A text input with O2's automation ids: `<id>`, `<id>-field`, `<id>-error` (role alert). */
export function TextInput({ dataTest, label, value, onChange, error, ...input }: Props) {
  const errorId = useId();
  return (
    <label className="o-input" data-test={dataTest}>
      <span className="o-input-label">{label}</span>
      <input
        {...input}
        data-test={`${dataTest}-field`}
        value={value}
        aria-invalid={error !== undefined}
        aria-describedby={error === undefined ? undefined : errorId}
        onChange={(event) => onChange(event.target.value)}
      />
      {error !== undefined && (
        <span id={errorId} className="o-input-error" role="alert" data-test={`${dataTest}-error`}>
          {error}
        </span>
      )}
    </label>
  );
}
