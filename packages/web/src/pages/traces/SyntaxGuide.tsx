import { useState } from 'react';

/** Filter examples over §9.1 span fields; a click puts one in the editor. */
const EXAMPLES: Array<[string, string]> = [
  ["service_name='checkout'", 'spans of one service'],
  ["span_status='ERROR'", 'failed spans'],
  ['duration>500000', 'spans longer than 500 ms (duration is in µs)'],
  ["operation_name LIKE 'GET %'", 'operations by prefix'],
  ["str_match(http_route, 'product')", 'an attribute containing a word'],
  ["service_name='shop' AND duration>=100000", 'conditions combined'],
];

/**
 * The traces filter's syntax guide (UI-SPEC §8.1): the filter is an SQL WHERE clause over span
 * fields; each example can be put in the editor with a click.
 */
export function SyntaxGuide({ onPick }: { onPick: (example: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="syntax-guide">
      <button
        type="button"
        className="btn"
        data-cy="syntax-guide-button"
        data-test="traces-syntax-guide-btn"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        Syntax guide
      </button>
      {open && (
        <div className="syntax-guide-popover" role="dialog" data-state="open">
          <p>
            The filter is an SQL <code>WHERE</code> clause over span fields (the field list shows
            them).
          </p>
          <ul>
            {EXAMPLES.map(([example, what]) => (
              <li key={example}>
                <button
                  type="button"
                  className="btn-link"
                  data-test="traces-syntax-guide-example"
                  onClick={() => {
                    onPick(example);
                    setOpen(false);
                  }}
                >
                  <code>{example}</code>
                </button>{' '}
                {what}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
