import { useEffect, useRef, useState } from 'react';
import type { DragEvent, PointerEvent } from 'react';
import type { PipelineNode } from '../../api/pipeline-api';
import { NODE_HEIGHT, NODE_WIDTH, edgeProblem, nodeLabel } from './graph';
import type { Graph } from './graph';
import type { NodeKind } from './NodeForms';

interface Props {
  graph: Graph;
  onMove: (id: string, position: { x: number; y: number }) => void;
  onConnect: (source: string, target: string) => void;
  onRemoveEdge: (id: string) => void;
  onRemoveNode: (id: string) => void;
  onEdit: (id: string) => void;
  /** A palette item dropped on the canvas, at canvas coordinates. */
  onDrop: (kind: NodeKind, position: { x: number; y: number }) => void;
  onProblem: (message: string) => void;
}

export const DRAG_TYPE = 'application/x-o2-pipeline-node';
const kindOf = (n: PipelineNode) => n.data.node_type;
const testId = (n: PipelineNode, part: string) => `pipeline-node-${n.io_type}-${part}`;

/** Bottom-centre (output) and top-centre (input) of a node: where edges leave and arrive. */
const outAt = (n: PipelineNode) => ({
  x: n.position.x + NODE_WIDTH / 2,
  y: n.position.y + NODE_HEIGHT,
});
const inAt = (n: PipelineNode) => ({ x: n.position.x + NODE_WIDTH / 2, y: n.position.y });

/**
 * The graph as positioned nodes over an SVG of edges. Nodes move by dragging; an edge is made by
 * clicking a node's output handle, then another node's input handle (Esc cancels); the dot in
 * an edge's middle removes it. Palette items are dropped here by HTML5 drag and drop.
 */
export function PipelineCanvas(props: Props) {
  const { graph } = props;
  const host = useRef<HTMLDivElement>(null);
  const [connecting, setConnecting] = useState<string | undefined>();
  const drag = useRef<{ id: string; dx: number; dy: number; moved: boolean } | undefined>(
    undefined,
  );

  useEffect(() => {
    const escape = (e: KeyboardEvent) => e.key === 'Escape' && setConnecting(undefined);
    document.addEventListener('keydown', escape);
    return () => document.removeEventListener('keydown', escape);
  }, []);

  const local = (clientX: number, clientY: number) => {
    const box = host.current!.getBoundingClientRect();
    return {
      x: clientX - box.left + host.current!.scrollLeft,
      y: clientY - box.top + host.current!.scrollTop,
    };
  };
  const down = (n: PipelineNode, e: PointerEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).closest('button') !== null) return;
    const at = local(e.clientX, e.clientY);
    drag.current = { id: n.id, dx: at.x - n.position.x, dy: at.y - n.position.y, moved: false };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d === undefined) return;
    const at = local(e.clientX, e.clientY);
    d.moved = true;
    props.onMove(d.id, { x: Math.max(0, at.x - d.dx), y: Math.max(0, at.y - d.dy) });
  };
  const up = (n: PipelineNode) => {
    const d = drag.current;
    drag.current = undefined;
    if (d !== undefined && !d.moved) props.onEdit(n.id);
  };
  const finish = (target: string) => {
    if (connecting === undefined) return;
    const problem = edgeProblem(graph, connecting, target);
    if (problem === undefined) props.onConnect(connecting, target);
    else props.onProblem(problem);
    setConnecting(undefined);
  };
  const drop = (e: DragEvent<HTMLDivElement>) => {
    const kind = e.dataTransfer.getData(DRAG_TYPE) as NodeKind | '';
    if (kind === '') return;
    e.preventDefault();
    const at = local(e.clientX, e.clientY);
    props.onDrop(kind, { x: Math.max(0, at.x - NODE_WIDTH / 2), y: Math.max(0, at.y - 20) });
  };

  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const width = Math.max(800, ...graph.nodes.map((n) => n.position.x + NODE_WIDTH + 40));
  const height = Math.max(480, ...graph.nodes.map((n) => n.position.y + NODE_HEIGHT + 40));
  return (
    <div
      className={connecting === undefined ? 'pipeline-canvas' : 'pipeline-canvas connecting'}
      data-test="pipeline-canvas"
      ref={host}
      onDragOver={(e) => e.preventDefault()}
      onDrop={drop}
    >
      <svg className="pipeline-edges" width={width} height={height} aria-label="Edges">
        {graph.edges.map((edge) => {
          const from = byId.get(edge.source);
          const to = byId.get(edge.target);
          if (from === undefined || to === undefined) return null;
          const a = outAt(from);
          const b = inAt(to);
          const bend = Math.max(40, Math.abs(b.y - a.y) / 2);
          const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
          return (
            <g
              key={edge.id}
              data-test="pipeline-edge"
              data-source={edge.source}
              data-target={edge.target}
            >
              <path d={`M${a.x},${a.y} C${a.x},${a.y + bend} ${b.x},${b.y - bend} ${b.x},${b.y}`} />
              <circle
                className="pipeline-edge-delete"
                data-test="pipeline-edge-delete-btn"
                role="button"
                aria-label="Remove this edge"
                cx={mid.x}
                cy={mid.y}
                r={7}
                onClick={() => props.onRemoveEdge(edge.id)}
              >
                <title>Remove this edge</title>
              </circle>
            </g>
          );
        })}
      </svg>
      {graph.nodes.length === 0 && (
        <p className="pipeline-canvas-empty">
          Drag a source stream here (or click one in the palette) to start.
        </p>
      )}
      {graph.nodes.map((n) => (
        <div
          key={n.id}
          className={`pipeline-node pipeline-node-${n.io_type}`}
          data-test={testId(n, `${kindOf(n)}-node`)}
          data-node-id={n.id}
          style={{ left: n.position.x, top: n.position.y, width: NODE_WIDTH, height: NODE_HEIGHT }}
          onPointerDown={(e) => down(n, e)}
          onPointerMove={move}
          onPointerUp={() => up(n)}
        >
          {n.io_type !== 'input' && (
            <button
              type="button"
              className="pipeline-handle pipeline-handle-in"
              aria-label="Connect here"
              data-test={testId(n, 'input-handle')}
              disabled={connecting === undefined}
              onClick={() => finish(n.id)}
            />
          )}
          <span className="pipeline-node-kind">
            {n.io_type === 'input' ? 'Source' : n.io_type === 'output' ? 'Destination' : kindOf(n)}
          </span>
          <span className="pipeline-node-label" title={nodeLabel(n.data)}>
            {nodeLabel(n.data)}
          </span>
          <button
            type="button"
            className="pipeline-node-delete"
            aria-label="Delete node"
            data-test={testId(n, 'delete-btn')}
            onClick={() => props.onRemoveNode(n.id)}
          >
            ✕
          </button>
          {n.io_type !== 'output' && (
            <button
              type="button"
              className="pipeline-handle pipeline-handle-out"
              aria-label="Connect from here"
              aria-pressed={connecting === n.id}
              data-test={testId(n, 'output-handle')}
              onClick={() => setConnecting(connecting === n.id ? undefined : n.id)}
            />
          )}
        </div>
      ))}
    </div>
  );
}
