import type {
  Pipeline,
  PipelineEdge,
  PipelineNode,
  PipelineNodeData,
} from '../../api/pipeline-api';

/** The editor's document: O2's pipeline nodes and edges. */
export interface Graph {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 56;

/** O2's messages (its Playwright suite keys on them). */
export const MESSAGES = {
  source: 'Source node is required',
  destination: 'Destination node is required',
  connect: 'Please connect all nodes before saving',
  name: 'Pipeline name is required',
} as const;

function newId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function ioTypeOf(data: PipelineNodeData, asSource: boolean): PipelineNode['io_type'] {
  if (data.node_type === 'stream') return asSource ? 'input' : 'output';
  return 'default';
}

/** Where a new node goes when it was not dropped somewhere: below the lowest node. */
function nextPosition(graph: Graph): { x: number; y: number } {
  const lowest = Math.max(-NODE_HEIGHT, ...graph.nodes.map((n) => n.position.y));
  return { x: 80, y: lowest + NODE_HEIGHT + 70 };
}

export function addNode(
  graph: Graph,
  data: PipelineNodeData,
  ioType: PipelineNode['io_type'],
  options: { position?: { x: number; y: number }; after?: string } = {},
): { graph: Graph; id: string } {
  const id = newId();
  const node: PipelineNode = {
    id,
    data,
    io_type: ioType,
    position: options.position ?? nextPosition(graph),
  };
  const next = { nodes: [...graph.nodes, node], edges: graph.edges };
  return { graph: options.after === undefined ? next : connect(next, options.after, id), id };
}

export function updateNode(graph: Graph, id: string, data: PipelineNodeData): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? { ...n, data } : n)) };
}

export function moveNode(graph: Graph, id: string, position: { x: number; y: number }): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? { ...n, position } : n)) };
}

export function removeNode(graph: Graph, id: string): Graph {
  return {
    nodes: graph.nodes.filter((n) => n.id !== id),
    edges: graph.edges.filter((e) => e.source !== id && e.target !== id),
  };
}

export function removeEdge(graph: Graph, id: string): Graph {
  return { ...graph, edges: graph.edges.filter((e) => e.id !== id) };
}

function reaches(graph: Graph, from: string, to: string): boolean {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.pop()!;
    if (at === to) return true;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const e of graph.edges) if (e.source === at) queue.push(e.target);
  }
  return false;
}

/**
 * Why an edge from `source` to `target` is refused, or undefined when it is fine: a source stream
 * takes no input, a destination stream gives no output, no duplicates, and no cycles.
 */
export function edgeProblem(graph: Graph, source: string, target: string): string | undefined {
  const from = graph.nodes.find((n) => n.id === source);
  const to = graph.nodes.find((n) => n.id === target);
  if (from === undefined || to === undefined) return 'Unknown node';
  if (source === target) return 'A node cannot connect to itself';
  if (from.io_type === 'output') return 'A destination has no output';
  if (to.io_type === 'input') return 'A source takes no input';
  if (graph.edges.some((e) => e.source === source && e.target === target)) {
    return 'These nodes are already connected';
  }
  if (reaches(graph, target, source)) return 'This edge would make a cycle';
  return undefined;
}

export function connect(graph: Graph, source: string, target: string): Graph {
  if (edgeProblem(graph, source, target) !== undefined) return graph;
  return { ...graph, edges: [...graph.edges, { id: `e${source}-${target}`, source, target }] };
}

/**
 * What stops a save, in O2's words: one source, at least one destination, and every node on a
 * path from the source (each transform also leading somewhere).
 */
export function validate(graph: Graph): string[] {
  const sources = graph.nodes.filter((n) => n.io_type === 'input');
  const problems: string[] = [];
  if (sources.length === 0) problems.push(MESSAGES.source);
  if (sources.length > 1) problems.push('Only one source node is allowed');
  if (!graph.nodes.some((n) => n.io_type === 'output')) problems.push(MESSAGES.destination);
  if (problems.length > 0) return problems;
  const source = sources[0]!;
  const disconnected = graph.nodes.some(
    (n) =>
      !reaches(graph, source.id, n.id) ||
      (n.io_type !== 'output' && !graph.edges.some((e) => e.source === n.id)),
  );
  return disconnected ? [MESSAGES.connect] : [];
}

/** The pipeline to save: its source follows the graph's source stream node. */
export function toPipeline(base: Pipeline, graph: Graph): Pipeline {
  const source = graph.nodes.find((n) => n.io_type === 'input')?.data;
  return {
    ...base,
    source:
      source?.node_type === 'stream'
        ? {
            source_type: 'realtime',
            org_id: source.org_id,
            stream_name: source.stream_name,
            stream_type: source.stream_type,
          }
        : base.source,
    nodes: graph.nodes,
    edges: graph.edges,
  };
}

export function emptyPipeline(org: string): Pipeline {
  return {
    name: '',
    description: '',
    enabled: true,
    org,
    source: { source_type: 'realtime' },
    nodes: [],
    edges: [],
  };
}

/** A node's one-line label on the canvas. */
export function nodeLabel(data: PipelineNodeData): string {
  switch (data.node_type) {
    case 'stream':
      return `${data.stream_type}/${data.stream_name}`;
    case 'function':
      return data.name;
    case 'condition':
      return data.conditions.map((c) => `${c.column} ${c.operator} ${c.value}`).join(' AND ');
  }
}
