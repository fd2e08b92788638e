import { describe, expect, it } from 'vitest';
import { parsePipeline } from './pipeline-model.js';
import { functionNamesOf, validatePipeline } from './validate.js';
import {
  conditionNode,
  edge,
  functionNode,
  pipelineBody,
  streamNode,
} from './test-support/fixtures.js';

const options = {
  org: 'default',
  newId: () => 'new-id',
  functionExists: (name: string) => name === 'f1' || name === 'f2',
};

function check(body: unknown) {
  return validatePipeline(parsePipeline(body), options);
}

const cond = [{ column: 'level', operator: '=', value: 'error' }];

describe('validatePipeline', () => {
  it('fills id, org and the realtime source from the first node, keeping UI fields', () => {
    const p = check(
      pipelineBody(
        [streamNode('s', 'app', 'input'), functionNode('f', 'f1'), streamNode('d', 'out')],
        [edge('s', 'f'), edge('f', 'd')],
      ),
    );
    expect(p.pipeline_id).toBe('new-id');
    expect(p.org).toBe('default');
    expect(p.source).toMatchObject({
      source_type: 'realtime',
      org_id: 'default',
      stream_name: 'app',
      stream_type: 'logs',
    });
    expect(p.nodes[0]?.io_type).toBe('input');
    expect(p.edges[0]?.id).toBe('es-f');
    expect(functionNamesOf(p)).toEqual(['f1']);
  });

  it('keeps the id of an update and reads O2 `id` as well as `pipeline_id`', () => {
    const body = {
      ...pipelineBody([streamNode('s', 'a'), streamNode('d', 'b')], [edge('s', 'd')]),
      id: 'abc',
    };
    expect(check(body).pipeline_id).toBe('abc');
  });

  it.each([
    ['no nodes', pipelineBody([], []), 'Empty pipeline'],
    ['no edges', pipelineBody([streamNode('s', 'a')], []), 'Please connect all Nodes'],
    [
      'function first',
      pipelineBody([functionNode('f', 'f1'), streamNode('d', 'b')], [edge('f', 'd')]),
      'Source must be either a StreamNode or QueryNode',
    ],
    [
      'two sources',
      pipelineBody(
        [streamNode('s', 'a'), streamNode('s2', 'c'), streamNode('d', 'b')],
        [edge('s', 'd'), edge('s2', 'd')],
      ),
      'exactly one source',
    ],
    [
      'leaf that is not a stream',
      pipelineBody([streamNode('s', 'a'), functionNode('f', 'f1')], [edge('s', 'f')]),
      'All leaf nodes must be StreamNode',
    ],
    [
      'cycle',
      pipelineBody(
        [
          streamNode('s', 'a'),
          functionNode('f', 'f1'),
          functionNode('g', 'f2'),
          streamNode('d', 'b'),
        ],
        [edge('s', 'f'), edge('f', 'g'), edge('g', 'f'), edge('g', 'd')],
      ),
      'Cyclical pipeline detected.',
    ],
    [
      'unflattened function after a flattened one',
      pipelineBody(
        [
          streamNode('s', 'a'),
          functionNode('f', 'f1', true),
          functionNode('g', 'f2'),
          streamNode('d', 'b'),
        ],
        [edge('s', 'f'), edge('f', 'g'), edge('g', 'd')],
      ),
      'After Flatten must be checked',
    ],
    [
      'unknown function',
      pipelineBody(
        [streamNode('s', 'a'), functionNode('f', 'nope'), streamNode('d', 'b')],
        [edge('s', 'f'), edge('f', 'd')],
      ),
      'Function nope not found',
    ],
    [
      'empty condition',
      pipelineBody(
        [streamNode('s', 'a'), conditionNode('c', []), streamNode('d', 'b')],
        [edge('s', 'c'), edge('c', 'd')],
      ),
      'ConditionNode must have non-empty conditions',
    ],
    [
      'bad operator',
      pipelineBody(
        [
          streamNode('s', 'a'),
          conditionNode('c', [{ column: 'x', operator: '~~', value: 1 }]),
          streamNode('d', 'b'),
        ],
        [edge('s', 'c'), edge('c', 'd')],
      ),
      'Invalid condition operator',
    ],
    [
      'edge to an unknown node',
      pipelineBody([streamNode('s', 'a'), streamNode('d', 'b')], [edge('s', 'x')]),
      "Edge #0's target node not found",
    ],
    [
      'another org',
      pipelineBody(
        [
          streamNode('s', 'a'),
          { ...streamNode('d', 'b'), data: { ...streamNode('d', 'b').data, org_id: 'other' } },
        ],
        [edge('s', 'd')],
      ),
      'its own org only',
    ],
    [
      'unbalanced template',
      pipelineBody([streamNode('s', 'a'), streamNode('d', 'b_{x')], [edge('s', 'd')]),
      'Unbalanced',
    ],
    [
      'unknown node type',
      pipelineBody(
        [streamNode('s', 'a'), { id: 'x', data: { node_type: 'remote_stream' } }],
        [edge('s', 'x')],
      ),
      'node_type must be one of',
    ],
  ])('refuses %s with 400', (_name, body, message) => {
    let error: unknown;
    try {
      check(body);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((error as Error).message).toContain(message);
  });

  it('accepts a condition in O2 v2 shape and a scheduled source', () => {
    const v2 = {
      filterType: 'group',
      logicalOperator: 'AND',
      conditions: [{ filterType: 'condition', column: 'level', operator: '=', value: 'error' }],
    };
    expect(() =>
      check(
        pipelineBody(
          [streamNode('s', 'a'), conditionNode('c', v2, 2), streamNode('d', 'b')],
          [edge('s', 'c'), edge('c', 'd')],
        ),
      ),
    ).not.toThrow();
    const query = {
      id: 'q',
      data: {
        node_type: 'query',
        stream_type: 'logs',
        query_condition: { type: 'sql', sql: 'SELECT * FROM "a"' },
        trigger_condition: { period: 5, frequency: 5 },
      },
    };
    const p = check(pipelineBody([query, streamNode('d', 'b')], [edge('q', 'd')]));
    expect(p.source).toMatchObject({ source_type: 'scheduled', org_id: 'default' });
    expect(() =>
      check(
        pipelineBody(
          [{ ...query, data: { ...query.data, trigger_condition: {} } }, streamNode('d', 'b')],
          [edge('q', 'd')],
        ),
      ),
    ).toThrow('period missing or is 0');
    expect(() =>
      check(
        pipelineBody(
          [streamNode('s', 'a'), conditionNode('c', cond), streamNode('d', 'b')],
          [edge('s', 'c'), edge('c', 'd')],
        ),
      ),
    ).not.toThrow();
  });
});
