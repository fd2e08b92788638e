import { useState } from 'react';

interface Props {
  dataTest: string;
  /** The text with the real secrets: what the copy button puts on the clipboard. */
  text: string;
  /** Secrets to mask on screen (e-mail, passcode, their base64). */
  secrets: string[];
}

function mask(text: string, secrets: string[]): string {
  return secrets
    .filter((s) => s !== '')
    .sort((a, b) => b.length - a.length)
    .reduce((shown, secret) => shown.split(secret).join('*'.repeat(8)), text);
}

/** A snippet shown with its secrets masked; Copy places the real values on the clipboard. */
export function CopyBlock({ dataTest, text, secrets }: Props) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-block" data-test={dataTest}>
      <pre data-test={`${dataTest}-content`}>{mask(text, secrets)}</pre>
      <button
        type="button"
        className="btn btn-small"
        data-test={`${dataTest}-copy-btn`}
        onClick={() => {
          void navigator.clipboard.writeText(text).then(() => setCopied(true));
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
