import { describe, expect, it } from 'vitest';
import {
  MESSAGES,
  addNode,
  connect,
  edgeProblem,
  toPipeline,
  validate,
  emptyPipeline,
} from './graph';
import type { Graph } from './graph';

const stream = (name: string) =>
  ({ node_type: 'stream', org_id: 'default', stream_name: name, stream_type: 'logs' }) as const;
const fn = { node_type: 'function', name: 'tag', after_flatten: true, num_args: 0 } as const;

function chain(): { graph: Graph; ids: string[] } {
  let graph: Graph = { nodes: [], edges: [] };
  const a = addNode(graph, stream('in'), 'input');
  const b = addNode(a.graph, fn, 'default', { after: a.id });
  const c = addNode(b.graph, stream('out'), 'output', { after: b.id });
  graph = c.graph;
  return { graph, ids: [a.id, b.id, c.id] };
}

describe('pipeline graph', () => {
  it('accepts source → function → destination and names the source stream', () => {
    const { graph } = chain();
    expect(validate(graph)).toEqual([]);
    const saved = toPipeline({ ...emptyPipeline('default'), name: 'p' }, graph);
    expect(saved.source).toEqual({
      source_type: 'realtime',
      org_id: 'default',
      stream_name: 'in',
      stream_type: 'logs',
    });
    expect(saved.edges.map((e) => [e.source, e.target])).toHaveLength(2);
  });

  it('asks for a source and a destination', () => {
    const only = addNode({ nodes: [], edges: [] }, fn, 'default').graph;
    expect(validate(only)).toEqual([MESSAGES.source, MESSAGES.destination]);
  });

  it('refuses to save a node left unconnected', () => {
    const { graph } = chain();
    const extra = addNode(graph, fn, 'default').graph;
    expect(validate(extra)).toEqual([MESSAGES.connect]);
  });

  it('refuses edges into a source, out of a destination, duplicates and cycles', () => {
    const { graph, ids } = chain();
    const [a, b, c] = ids as [string, string, string];
    expect(edgeProblem(graph, b, a)).toBe('A source takes no input');
    expect(edgeProblem(graph, c, b)).toBe('A destination has no output');
    expect(edgeProblem(graph, a, b)).toBe('These nodes are already connected');
    const two = addNode(graph, fn, 'default', { after: b });
    expect(edgeProblem(two.graph, two.id, b)).toBe('This edge would make a cycle');
    expect(connect(two.graph, two.id, b)).toBe(two.graph);
  });
});
