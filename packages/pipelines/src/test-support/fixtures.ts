/** Builders for O2-shaped pipeline bodies in tests. */
export const streamNode = (id: string, stream: string, io: 'input' | 'output' = 'output') => ({
  id,
  data: { node_type: 'stream', org_id: 'default', stream_name: stream, stream_type: 'logs' },
  position: { x: 0, y: 0 },
  io_type: io,
});

export const functionNode = (id: string, name: string, afterFlatten = false) => ({
  id,
  data: { node_type: 'function', name, after_flatten: afterFlatten, num_args: 0 },
  position: { x: 0, y: 0 },
  io_type: 'default',
});

export const conditionNode = (id: string, conditions: unknown, version?: number) => ({
  id,
  data: { node_type: 'condition', conditions, ...(version === undefined ? {} : { version }) },
  position: { x: 0, y: 0 },
  io_type: 'default',
});

export const edge = (source: string, target: string) => ({
  id: `e${source}-${target}`,
  source,
  target,
});

export function pipelineBody(nodes: unknown[], edges: unknown[], name = 'p1') {
  return { name, description: '', enabled: true, nodes, edges };
}
