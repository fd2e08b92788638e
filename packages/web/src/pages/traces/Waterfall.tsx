import { useMemo, useState } from 'react';
import type { CSSProperties, PointerEvent as ReactPointerEvent } from 'react';
import type { SpanRecord } from '@o2/api-schemas';
import { formatDuration, rulerTicks, serviceColor, traceBounds, treeRows } from './span-tree';

interface Props {
  spans: SpanRecord[];
  selected: string | undefined;
  onSelect: (spanId: string) => void;
}

/**
 * The trace waterfall (UI-SPEC §8.2): the span tree on the left (service colour, service,
 * operation, collapse, error mark, child count) and a bar per span on the right, placed by its
 * start offset with its duration as width, under a ruler of offsets from the trace's start.
 * The split between tree and timeline is resizable (the tree column's drag handle).
 */
export function Waterfall({ spans, selected, onSelect }: Props) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [treeWidth, setTreeWidth] = useState(360);
  const rows = useMemo(() => treeRows(spans, collapsed), [spans, collapsed]);
  const bounds = traceBounds(spans);
  const totalUs = Math.max(1, (bounds.end - bounds.start) / 1000);
  const toggle = (id: string) => {
    const next = new Set(collapsed);
    if (!next.delete(id)) next.add(id);
    setCollapsed(next);
  };
  const startResize = (event: ReactPointerEvent) => {
    const x0 = event.clientX;
    const w0 = treeWidth;
    const move = (e: PointerEvent) =>
      setTreeWidth(Math.min(800, Math.max(200, w0 + e.clientX - x0)));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  return (
    <div
      className="waterfall"
      data-test="trace-details-tree"
      style={{ '--tree-width': `${treeWidth}px` } as CSSProperties}
    >
      <div className="waterfall-row waterfall-header">
        <div className="waterfall-head">
          Service &amp; operation
          <span
            className="waterfall-resize"
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize"
            data-test="trace-details-tree-resize"
            onPointerDown={startResize}
          />
        </div>
        <div className="waterfall-ruler" data-test="trace-details-ruler">
          {rulerTicks(totalUs).map((us, i, all) => (
            <span
              key={i}
              style={{ left: `${(100 * us) / totalUs}%` }}
              className={i === all.length - 1 ? 'last' : undefined}
            >
              {formatDuration(us)}
            </span>
          ))}
        </div>
      </div>
      {rows.map(({ span, depth, childCount }) => {
        const error = span.span_status === 'ERROR';
        const offset = (span.start_time - bounds.start) / 1000;
        const isSelected = span.span_id === selected;
        return (
          <div
            key={span.span_id}
            className={`waterfall-row${isSelected ? ' selected' : ''}${error ? ' error' : ''}`}
            data-test={`trace-tree-span-container-${span.span_id}`}
            data-state={isSelected ? 'active' : 'inactive'}
            data-error={error}
          >
            <div className="waterfall-label" style={{ paddingLeft: `${depth * 14 + 4}px` }}>
              {childCount > 0 ? (
                <button
                  type="button"
                  className="btn-icon waterfall-toggle"
                  aria-expanded={!collapsed.has(span.span_id)}
                  aria-label={collapsed.has(span.span_id) ? 'Expand' : 'Collapse'}
                  data-test={`trace-tree-span-collapse-btn-${span.span_id}`}
                  onClick={() => toggle(span.span_id)}
                >
                  {collapsed.has(span.span_id) ? '▸' : '▾'}
                  <span className="child-count">{childCount}</span>
                </button>
              ) : (
                <span className="waterfall-toggle" />
              )}
              <button
                type="button"
                className="waterfall-select"
                data-test={`trace-tree-span-select-btn-${span.span_id}`}
                onClick={() => onSelect(span.span_id)}
              >
                <span
                  className="service-chip"
                  style={{ background: serviceColor(span.service_name) }}
                  aria-hidden="true"
                />
                <span
                  className="service-name"
                  data-test={`trace-tree-span-service-name-${span.span_id}`}
                >
                  {span.service_name}
                </span>
                <span data-test={`trace-tree-span-operation-name-${span.span_id}`}>
                  {span.operation_name}
                </span>
                {error && (
                  <span
                    className="error-mark"
                    title="Error"
                    data-test={`trace-tree-span-error-icon-${span.span_id}`}
                  >
                    ⚠
                  </span>
                )}
              </button>
            </div>
            <button
              type="button"
              className="waterfall-track"
              data-test="span-block-container"
              title={`${span.operation_name}: ${formatDuration(span.duration)}`}
              onClick={() => onSelect(span.span_id)}
            >
              <span
                className="span-block"
                data-test="span-block"
                style={{
                  left: `${(100 * offset) / totalUs}%`,
                  width: `max(2px, ${(100 * span.duration) / totalUs}%)`,
                  background: error ? 'var(--danger)' : serviceColor(span.service_name),
                }}
              />
              <span
                className="span-block-duration"
                data-test="span-block-duration"
                style={{ left: `${Math.min(100, (100 * (offset + span.duration)) / totalUs)}%` }}
              >
                {formatDuration(span.duration)}
              </span>
            </button>
          </div>
        );
      })}
    </div>
  );
}
