import { useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatInZone } from '../../app/time-zone';
import { DEFAULT_COLUMN_WIDTH, useColumnWidths } from './column-widths';

interface Props {
  hits: Array<Record<string, unknown>>;
  /** Opens the detail drawer for a row. */
  onOpen: (hit: Record<string, unknown>) => void;
  /** Fields shown as their own columns; none → the whole record as `source`. */
  columns: string[];
  /** The stream: column widths are kept per stream. */
  stream: string;
  /** The zone `_timestamp` is shown in. */
  timezone: string;
  /** Changes when a new page or search replaces the rows: scroll goes back to the top. */
  pageKey: string;
}

const cell = (value: unknown) =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
const EXPAND_WIDTH = 32;
const TIMESTAMP_WIDTH = 200;
const ROW_HEIGHT = 30;

/**
 * The results: a virtualised table (only the rows in view are in the DOM), `_timestamp` first
 * then the chosen columns or the whole record as `source`; a row expands to its pretty JSON, a
 * click opens the detail drawer, column edges drag to resize.
 */
export function ResultsTable({ hits, onOpen, columns, stream, timezone, pageKey }: Props) {
  // Open rows are known by their content, so they stay open when a refresh moves them.
  const [open, setOpen] = useState<Set<string>>(new Set());
  const scroller = useRef<HTMLDivElement>(null);
  const { widths, setWidth, save } = useColumnWidths(stream);
  const virtualizer = useVirtualizer({
    count: hits.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  const lastPage = useRef(pageKey);
  useEffect(() => {
    if (lastPage.current === pageKey) return;
    lastPage.current = pageKey;
    setOpen(new Set());
    virtualizer.scrollToOffset(0);
  }, [pageKey, virtualizer]);

  const toggle = (key: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const shown = columns.length === 0 ? ['source'] : columns;
  const widthOf = (c: string) =>
    widths[c] ?? (c === '_timestamp' ? TIMESTAMP_WIDTH : DEFAULT_COLUMN_WIDTH);
  // `source` takes the rest of the row; chosen columns keep their widths.
  const template = [
    `${EXPAND_WIDTH}px`,
    `${widthOf('_timestamp')}px`,
    ...shown.map((c) => (c === 'source' ? 'minmax(320px, 1fr)' : `${widthOf(c)}px`)),
  ].join(' ');
  const minWidth =
    EXPAND_WIDTH +
    widthOf('_timestamp') +
    shown.reduce((sum, c) => sum + (c === 'source' ? 320 : widthOf(c)), 0);

  const startResize = (column: string, event: ReactPointerEvent<HTMLSpanElement>) => {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = widthOf(column);
    const move = (e: PointerEvent) => setWidth(column, startWidth + e.clientX - startX);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      save();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const header = (c: string, resizable: boolean) => (
    <div
      key={c}
      role="columnheader"
      className="logs-th"
      data-test={`o2-table-th-${c}`}
      style={resizable ? { width: widthOf(c) } : undefined}
    >
      <span className="logs-th-name">{c}</span>
      {resizable && (
        <span
          role="separator"
          aria-orientation="vertical"
          aria-label={`Resize ${c}`}
          className="logs-resize"
          data-test={`o2-table-resize-${c}`}
          onPointerDown={(e) => startResize(c, e)}
        />
      )}
    </div>
  );

  return (
    <div
      className="logs-table"
      role="table"
      aria-rowcount={hits.length}
      data-test="logs-search-result-logs-table"
      ref={scroller}
    >
      <div
        className="logs-tr logs-thead"
        role="row"
        style={{ gridTemplateColumns: template, minWidth }}
      >
        <div role="columnheader" className="logs-th" aria-label="Expand" />
        {header('_timestamp', true)}
        {shown.map((c) => header(c, c !== 'source'))}
      </div>
      <div
        role="rowgroup"
        className="logs-tbody"
        style={{ height: virtualizer.getTotalSize(), minWidth }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const i = item.index;
          const hit = hits[i]!;
          const { _timestamp: ts, ...rest } = hit;
          const key = JSON.stringify(hit);
          const expanded = open.has(key);
          return (
            <div
              key={item.key}
              data-index={i}
              ref={virtualizer.measureElement}
              className="logs-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <div
                className="logs-tr"
                role="row"
                aria-rowindex={i + 1}
                aria-expanded={expanded}
                data-test={`o2-table-row-${i}`}
                style={{ gridTemplateColumns: template }}
              >
                <div role="cell">
                  <button
                    type="button"
                    className="btn-icon"
                    aria-label={expanded ? 'Collapse' : 'Expand'}
                    aria-expanded={expanded}
                    data-test={`o2-table-expand-${i}`}
                    onClick={() => toggle(key)}
                  >
                    {expanded ? '▾' : '▸'}
                  </button>
                </div>
                <div role="cell" data-test="o2-table-cell-_timestamp" className="nowrap logs-td">
                  {typeof ts === 'number' ? formatInZone(ts, timezone) : ''}
                </div>
                {shown.map((c) => (
                  <div
                    key={c}
                    role="cell"
                    data-test={`o2-table-cell-${c}`}
                    className="logs-td log-source log-row-open"
                    onClick={() => onOpen(hit)}
                  >
                    {c === 'source' ? JSON.stringify(rest) : cell(hit[c])}
                  </div>
                ))}
              </div>
              {expanded && (
                <pre className="json-view logs-json" data-test={`o2-table-json-${i}`}>
                  {JSON.stringify(hit, null, 2)}
                </pre>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
