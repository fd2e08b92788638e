import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { tailStream } from '../../api/tail-stream';
import { Toast } from '../../components/Toast';
import './live-tail.css';

interface Props {
  org: string;
  stream: string;
  /** The quick-mode filter (a WHERE on the stream); '' tails every row. */
  filter: string;
  /** Opens the detail drawer for a row. */
  onOpen: (hit: Record<string, unknown>) => void;
}

type Hit = Record<string, unknown>;
interface Row {
  id: number;
  hit: Hit;
}

/** Rows kept on screen and rows held back; both bounded so a busy stream cannot fill memory. */
const MAX_SHOWN = 500;
const MAX_HELD = 1000;

function timestamp(hit: Hit): string {
  const us = hit['_timestamp'];
  return typeof us === 'number' ? new Date(us / 1000).toISOString() : '';
}

function source(hit: Hit): string {
  const { _timestamp: _ts, ...rest } = hit;
  return JSON.stringify(rest);
}

/**
 * Live tail (beyond O2, which only re-runs the query): new matching rows pushed by the router's
 * `_tail` event stream, newest first. Paused, or scrolled away from the top, new rows are held
 * and counted ("N new rows"); showing them keeps what the reader was looking at in place.
 */
export function LiveTail({ org, stream, filter, onOpen }: Props) {
  const [on, setOn] = useState(false);
  const [paused, setPaused] = useState(false);
  const [ready, setReady] = useState(false);
  const [shown, setShown] = useState<Row[]>([]);
  const [held, setHeld] = useState<Row[]>([]);
  const [dropped, setDropped] = useState(0);
  const [error, setError] = useState<string>();
  const list = useRef<HTMLDivElement>(null);
  const nextId = useRef(0);
  // What the stream handler needs without re-subscribing: read through refs.
  const holding = useRef(false);
  holding.current = paused;
  // Height above the reader's view before rows were added on top, to restore its place.
  const anchor = useRef<{ height: number; top: number } | undefined>(undefined);

  useEffect(() => {
    if (!on || stream === '') return;
    const abort = new AbortController();
    setReady(false);
    setError(undefined);
    const arrived = (hits: Hit[]) => {
      const rows = hits.reverse().map((hit) => ({ id: nextId.current++, hit }));
      const element = list.current;
      const atTop = element === null || element.scrollTop <= 0;
      if (holding.current || !atTop) {
        setHeld((h) => {
          const all = [...rows, ...h];
          if (all.length > MAX_HELD) setDropped((d) => d + all.length - MAX_HELD);
          return all.slice(0, MAX_HELD);
        });
      } else {
        setShown((s) => [...rows, ...s].slice(0, MAX_SHOWN));
      }
    };
    tailStream(org, stream, filter, abort.signal, {
      onReady: () => setReady(true),
      onRows: arrived,
      onDropped: (n) => setDropped((d) => d + n),
    }).catch((e: unknown) => {
      setError(e instanceof Error ? e.message : String(e));
      setOn(false);
    });
    return () => abort.abort();
  }, [on, org, stream, filter]);

  // Rows added above the view: scroll down by what they added, so the view does not jump.
  useLayoutEffect(() => {
    const element = list.current;
    const before = anchor.current;
    if (element === null || before === undefined) return;
    anchor.current = undefined;
    element.scrollTop = before.top + (element.scrollHeight - before.height);
  }, [shown]);

  const showHeld = () => {
    const element = list.current;
    if (element !== null && element.scrollTop > 0)
      anchor.current = { height: element.scrollHeight, top: element.scrollTop };
    setShown((s) => [...held, ...s].slice(0, MAX_SHOWN));
    setHeld([]);
  };

  const toggle = () => {
    setOn(!on);
    setPaused(false);
    setShown([]);
    setHeld([]);
    setDropped(0);
  };

  return (
    <div className="live-tail" data-test="logs-live-tail">
      <div className="live-tail-bar">
        <button
          type="button"
          role="switch"
          aria-checked={on}
          data-state={on ? 'checked' : 'unchecked'}
          className="btn"
          data-test="logs-search-bar-live-tail-toggle-btn"
          disabled={stream === ''}
          onClick={toggle}
        >
          Live tail {on ? 'on' : 'off'}
        </button>
        {on && (
          <>
            <button
              type="button"
              className="btn"
              data-test="logs-live-tail-pause-btn"
              onClick={() => setPaused(!paused)}
            >
              {paused ? 'Resume' : 'Pause'}
            </button>
            <span
              className="live-tail-status"
              data-test="logs-live-tail-status"
              data-state={paused ? 'paused' : ready ? 'live' : 'connecting'}
            >
              {paused
                ? `Paused${held.length > 0 ? ` · ${held.length} new held` : ''}`
                : ready
                  ? 'Live'
                  : 'Connecting…'}
              {filter.trim() !== '' ? ` · filter: ${filter}` : ''}
            </span>
            {dropped > 0 && (
              <span className="live-tail-dropped" data-test="logs-live-tail-dropped">
                {dropped} rows skipped (too fast to show)
              </span>
            )}
          </>
        )}
      </div>
      {error !== undefined && <Toast variant="error" message={`Live tail: ${error}`} />}
      {on && (
        // The banner floats over the list: showing or hiding it never moves the rows.
        <div className="live-tail-view">
          {!paused && held.length > 0 && (
            <button
              type="button"
              className="btn btn-small live-tail-new"
              data-test="logs-live-tail-new-rows-btn"
              onClick={showHeld}
            >
              {held.length} new row{held.length === 1 ? '' : 's'}
            </button>
          )}
          <div className="live-tail-rows" ref={list} data-test="logs-live-tail-rows">
            {shown.length === 0 && <p className="live-tail-empty">Waiting for new rows…</p>}
            {shown.map((row, i) => (
              <div
                key={row.id}
                className="live-tail-row"
                data-test={`logs-live-tail-row-${i}`}
                onClick={() => onOpen(row.hit)}
              >
                <span className="nowrap">{timestamp(row.hit)}</span>{' '}
                <span className="log-source">{source(row.hit)}</span>
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
