import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Panel } from '@o2/dashboards';

/** O2's grid: 48 columns; a row unit is 30 px here. */
const COLUMNS = 48;
const ROW_PX = 30;
const GAP = 6;

type Layout = { x: number; y: number; w: number; h: number };

const layoutOf = (p: Panel): Layout => ({
  x: p.layout?.x ?? 0,
  y: p.layout?.y ?? 0,
  w: p.layout?.w ?? 24,
  h: p.layout?.h ?? 9,
});

interface Props {
  panels: Panel[];
  render: (panel: Panel) => ReactNode;
  /** A drag or resize ended: the panel's new place (in grid units). */
  onLayout: (panelId: string, layout: Layout) => void;
}

/**
 * The dashboard grid: panels placed by their `layout {x,y,w,h}`, moved by dragging the header
 * and resized from the corner, snapping to the grid; the result is saved to the document.
 */
export function PanelGrid({ panels, render, onLayout }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [moving, setMoving] = useState<{ id: string; layout: Layout } | undefined>();
  const [width, setWidth] = useState(1200);
  // Columns follow the grid's width (window resize, nav collapse).
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const col = width / COLUMNS;
  const bottom = Math.max(
    0,
    ...panels.map((p) => {
      const l = layoutOf(p);
      return l.y + l.h;
    }),
  );

  const start = (event: React.PointerEvent, panel: Panel, mode: 'move' | 'resize') => {
    if (event.button !== 0) return;
    event.preventDefault();
    const origin = layoutOf(panel);
    const [x0, y0] = [event.clientX, event.clientY];
    let last = origin;
    const move = (e: PointerEvent) => {
      const dx = Math.round((e.clientX - x0) / col);
      const dy = Math.round((e.clientY - y0) / ROW_PX);
      last =
        mode === 'move'
          ? {
              ...origin,
              x: Math.min(COLUMNS - origin.w, Math.max(0, origin.x + dx)),
              y: Math.max(0, origin.y + dy),
            }
          : {
              ...origin,
              w: Math.min(COLUMNS - origin.x, Math.max(4, origin.w + dx)),
              h: Math.max(3, origin.h + dy),
            };
      setMoving({ id: panel.id, layout: last });
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      setMoving(undefined);
      if (JSON.stringify(last) !== JSON.stringify(origin)) onLayout(panel.id, last);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  return (
    <div
      className="dashboard-grid"
      data-test="dashboard-grid"
      ref={host}
      style={{ height: bottom * ROW_PX + 40 }}
    >
      {panels.map((panel) => {
        const l = moving?.id === panel.id ? moving.layout : layoutOf(panel);
        return (
          <div
            key={panel.id}
            className="panel-card"
            data-test={`dashboard-panel-${panel.id}`}
            data-panel-title={panel.title}
            style={{
              left: l.x * col,
              top: l.y * ROW_PX,
              width: l.w * col - GAP,
              height: l.h * ROW_PX - GAP,
            }}
            onPointerDown={(event) => {
              if ((event.target as HTMLElement).closest('header') !== null)
                start(event, panel, 'move');
            }}
          >
            {render(panel)}
            <span
              className="panel-resize"
              aria-hidden="true"
              data-test="dashboard-panel-resize"
              onPointerDown={(event) => {
                event.stopPropagation();
                start(event, panel, 'resize');
              }}
            />
          </div>
        );
      })}
    </div>
  );
}
