import { parseConditions } from '@o2/alerts';
import { AppError } from '@o2/errors';
import type {
  ConditionNodeData,
  Pipeline,
  PipelineInput,
  PipelineNode,
  PipelineSource,
} from './pipeline-model.js';
import { pipelineIdOf } from './pipeline-model.js';
import { parseStreamTemplate } from './stream-template.js';

export interface ValidateOptions {
  /** The org the pipeline is stored in (the route's `{org}`). */
  org: string;
  /** The id to give a pipeline that carries none (a create). */
  newId: () => string;
  /** Whether the org has a function of this name (function nodes must name one). */
  functionExists: (name: string) => boolean;
}

const bad = (message: string): never => {
  throw AppError.invalidArgument(message);
};

/** The condition tree of a condition node, from O2's v1 list or v2 group (`version: 2`). */
export function conditionOf(data: ConditionNodeData) {
  const raw = data.version === 2 ? { version: 2, conditions: data.conditions } : data.conditions;
  return parseConditions(raw);
}

function isEmptyCondition(data: ConditionNodeData): boolean {
  const c = data.conditions;
  if (c === undefined || c === null) return true;
  if (Array.isArray(c)) return c.length === 0;
  return typeof c === 'object' && Object.keys(c).length === 0;
}

/** Function names the pipeline's function nodes call, once each. */
export function functionNamesOf(pipeline: Pick<PipelineInput, 'nodes'>): string[] {
  const names = new Set<string>();
  for (const n of pipeline.nodes) if (n.data.node_type === 'function') names.add(n.data.name);
  return [...names];
}

/** Children per node id, checking every edge names two known nodes. */
function adjacency(input: PipelineInput): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const n of input.nodes) {
    if (children.has(n.id)) bad(`Duplicate node id ${n.id}`);
    children.set(n.id, []);
  }
  input.edges.forEach((e, i) => {
    const out = children.get(e.source);
    if (out === undefined) return bad(`Edge #${i}'s source node not found in nodes list`);
    if (!children.has(e.target)) return bad(`Edge #${i}'s target node not found in nodes list`);
    if (e.source === e.target) return bad('Cyclical pipeline detected.');
    if (!out.includes(e.target)) out.push(e.target);
    return undefined;
  });
  return children;
}

/**
 * Walks every branch from the source: no cycles, only stream nodes as leaves, and O2's flatten
 * rule (once a function ran after flattening, later functions in the branch must too).
 */
function walk(
  id: string,
  children: ReadonlyMap<string, string[]>,
  nodes: ReadonlyMap<string, PipelineNode>,
  flattened: boolean,
  onPath: Set<string>,
  reached: Set<string>,
): void {
  if (onPath.has(id)) bad('Cyclical pipeline detected.');
  reached.add(id);
  const next = children.get(id) ?? [];
  const data = (nodes.get(id) as PipelineNode).data;
  if (next.length === 0) {
    if (data.node_type !== 'stream') bad('All leaf nodes must be StreamNode');
    return;
  }
  onPath.add(id);
  for (const child of next) {
    const c = (nodes.get(child) as PipelineNode).data;
    let flat = flattened;
    if (c.node_type === 'function') {
      if (flattened && !c.after_flatten)
        bad(
          'After Flatten must be checked if a previous FunctionNode already checked it in the same branch.',
        );
      flat ||= c.after_flatten;
    }
    walk(child, children, nodes, flat, onPath, reached);
  }
  onPath.delete(id);
}

function sourceOf(first: PipelineNode, org: string): PipelineSource {
  const data = first.data;
  if (data.node_type === 'stream') {
    const { node_type: _type, ...params } = data;
    if (parseStreamTemplate(params.stream_name).fields.length > 0)
      bad('The source stream name must not be a template');
    return {
      ...params,
      org_id: params.org_id === '' ? org : params.org_id,
      source_type: 'realtime',
    };
  }
  if (data.node_type === 'query') {
    const { node_type: _type, ...params } = data;
    if (params.trigger_condition.period === 0)
      bad("DerivedStream source's TriggerCondition period missing or is 0");
    if (params.query_condition.type !== 'sql' || params.query_condition.sql.trim() === '')
      bad('A scheduled pipeline needs an SQL query (query_condition.type "sql" and its sql)');
    return {
      ...params,
      org_id: params.org_id === '' ? org : params.org_id,
      source_type: 'scheduled',
    };
  }
  return bad('Source must be either a StreamNode or QueryNode');
}

/**
 * O2's pipeline checks (its `Pipeline::validate`) plus ours: exactly one source (the first
 * node, as O2 reads it), a destination on every branch, every node reachable, no cycles, the
 * flatten rule, conditions that parse, and functions that exist. Returns the pipeline to
 * store: its id, its org and its `source` filled in. INVALID_ARGUMENT (400) with a clear message
 * otherwise.
 */
export function validatePipeline(input: PipelineInput, options: ValidateOptions): Pipeline {
  if (input.nodes.length === 0)
    bad('Empty pipeline. Please add Source/Destination nodes, or any applicable Transform Nodes');
  if (input.edges.length === 0) bad('Please connect all Nodes to complete pipeline creation');
  const first = input.nodes[0] as PipelineNode;
  const source = sourceOf(first, options.org);
  const nodes = new Map(input.nodes.map((n) => [n.id, n]));
  const children = adjacency(input);
  const hasParent = new Set(input.edges.map((e) => e.target));
  if (hasParent.has(first.id)) bad('The source node must not have incoming edges');
  for (const n of input.nodes.slice(1)) {
    if (n.data.node_type === 'query') bad('Only the source node may be a QueryNode');
    if (!hasParent.has(n.id))
      bad(`A pipeline has exactly one source: node ${n.id} has no incoming edge`);
    if (n.data.node_type === 'stream' && (children.get(n.id) ?? []).length > 0)
      bad(`Stream node ${n.id} is a destination and can not have outgoing edges`);
  }
  for (const n of input.nodes) {
    const data = n.data;
    const orgId = 'org_id' in data ? data.org_id : '';
    if (typeof orgId === 'string' && orgId !== '' && orgId !== options.org)
      bad(`Node ${n.id} names org ${orgId}: a pipeline reads and writes its own org only`);
    if (data.node_type === 'condition') {
      if (isEmptyCondition(data)) bad('ConditionNode must have non-empty conditions');
      conditionOf(data);
    } else if (data.node_type === 'function') {
      if (data.name === '') bad(`Function node ${n.id} must name a function`);
      if (!options.functionExists(data.name)) bad(`Function ${data.name} not found`);
    } else if (data.node_type === 'stream' && n !== first) {
      parseStreamTemplate(data.stream_name);
      if (data.stream_type !== source.stream_type && source.source_type === 'realtime')
        bad(
          `Destination stream ${data.stream_name} must have the source's type ${source.stream_type}`,
        );
    }
  }
  const reached = new Set<string>();
  walk(first.id, children, nodes, false, new Set(), reached);
  for (const n of input.nodes)
    if (!reached.has(n.id)) bad(`Node ${n.id} is not connected to the source`);
  const { id: _id, pipeline_id: _pid, source: _source, ...rest } = input;
  return {
    ...rest,
    pipeline_id: pipelineIdOf(input) ?? options.newId(),
    org: options.org,
    source,
  };
}
