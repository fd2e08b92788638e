import { describe, expect, it } from 'vitest';
import { ExecutablePipeline } from './execute.js';
import { parsePipeline } from './pipeline-model.js';
import { validatePipeline } from './validate.js';
import { vrlRunner } from './test-support/vrl-runner.js';
import {
  conditionNode,
  edge,
  functionNode,
  pipelineBody,
  streamNode,
} from './test-support/fixtures.js';

const FUNCTIONS = {
  enrich:
    '.level = upcase(string(.level) ?? "info")\n.host = downcase(string!(.kubernetes.host))\ndel(.stream)',
  fails: '.x = to_int!(.not_a_number)',
  split: '#ResultArray#\n[{"part": 1, "msg": .msg}, {"part": 2, "msg": .msg}]',
  flatTag: '.tagged = true\n.seen = .kubernetes_host',
};

function build(nodes: unknown[], edges: unknown[], flattenLevel = 3) {
  const pipeline = validatePipeline(parsePipeline(pipelineBody(nodes, edges)), {
    org: 'default',
    newId: () => 'id',
    functionExists: (name) => name in FUNCTIONS,
  });
  return new ExecutablePipeline(pipeline, flattenLevel);
}

const records = () => [
  { level: 'error', msg: 'a', kubernetes: { host: 'NODE-1' }, stream: 'x' },
  { level: 'info', msg: 'b', kubernetes: { host: 'Node-2' } },
  { msg: 'c', kubernetes: { host: 'node-3' } },
];

describe('ExecutablePipeline', () => {
  it('runs a VRL function, a condition and two destinations (fan-out)', () => {
    const p = build(
      [
        streamNode('s', 'app', 'input'),
        functionNode('f', 'enrich'),
        conditionNode('c', [{ column: 'level', operator: '=', value: 'ERROR' }]),
        streamNode('all', 'app_all'),
        streamNode('err', 'app_errors'),
      ],
      [edge('s', 'f'), edge('f', 'all'), edge('f', 'c'), edge('c', 'err')],
    );
    const out = p.run(records(), vrlRunner(FUNCTIONS));
    expect([...out.destinations.keys()].sort()).toEqual(['logs/app_all', 'logs/app_errors']);
    const all = out.destinations.get('logs/app_all');
    expect(all?.indexes).toEqual([0, 1, 2]);
    expect(all?.records[0]).toEqual({
      level: 'ERROR',
      msg: 'a',
      host: 'node-1',
      kubernetes_host: 'NODE-1',
    });
    expect(all?.records[2]).toMatchObject({ level: 'INFO', host: 'node-3' });
    const errors = out.destinations.get('logs/app_errors');
    expect(errors?.indexes).toEqual([0]);
    // Each destination got its own copy.
    expect(errors?.records[0]).not.toBe(all?.records[0]);
    expect(out.functionErrors).toBe(0);
  });

  it('passes a record on untransformed when its function fails (O2), counting the error', () => {
    const p = build(
      [streamNode('s', 'app'), functionNode('f', 'fails'), streamNode('d', 'out')],
      [edge('s', 'f'), edge('f', 'd')],
    );
    const out = p.run([{ msg: 'a', not_a_number: 'zz', nested: { k: 1 } }], vrlRunner(FUNCTIONS));
    expect(out.functionErrors).toBe(1);
    expect(out.lastFunctionError).toContain('to_int');
    expect(out.destinations.get('logs/out')?.records).toEqual([
      { msg: 'a', not_a_number: 'zz', nested_k: 1 },
    ]);
  });

  it('expands #ResultArray# output into several records', () => {
    const p = build(
      [streamNode('s', 'app'), functionNode('f', 'split'), streamNode('d', 'out')],
      [edge('s', 'f'), edge('f', 'd')],
    );
    const out = p.run([{ msg: 'a' }, { msg: 'b' }], vrlRunner(FUNCTIONS));
    expect(out.destinations.get('logs/out')?.records).toEqual([
      { part: 1, msg: 'a' },
      { part: 2, msg: 'a' },
      { part: 1, msg: 'b' },
      { part: 2, msg: 'b' },
    ]);
    expect(out.destinations.get('logs/out')?.indexes).toEqual([0, 0, 1, 1]);
  });

  it('flattens before an after_flatten function and before a condition', () => {
    const p = build(
      [
        streamNode('s', 'app'),
        conditionNode('c', {
          or: [
            { column: 'kubernetes_host', operator: 'contains', value: 'node-', ignore_case: true },
          ],
        }),
        functionNode('f', 'flatTag', true),
        streamNode('d', 'out'),
      ],
      [edge('s', 'c'), edge('c', 'f'), edge('f', 'd')],
    );
    const out = p.run(
      [{ kubernetes: { host: 'NODE-9' } }, { kubernetes: { host: 'db' } }],
      vrlRunner(FUNCTIONS),
    );
    expect(out.destinations.get('logs/out')?.records).toEqual([
      { kubernetes_host: 'NODE-9', tagged: true, seen: 'NODE-9' },
    ]);
  });

  it('routes by a templated stream name and fails records missing the field', () => {
    const p = build(
      [streamNode('s', 'app'), streamNode('d', 'ns_{kubernetes_namespace}')],
      [edge('s', 'd')],
    );
    const out = p.run(
      [{ kubernetes: { namespace: 'prod' } }, { kubernetes: { namespace: 'dev' } }, { msg: 'x' }],
      vrlRunner(FUNCTIONS),
    );
    expect([...out.destinations.keys()].sort()).toEqual(['logs/ns_dev', 'logs/ns_prod']);
    expect(out.failed.get(2)).toContain('kubernetes_namespace');
  });

  it('keeps the source stream only when the graph writes to it', () => {
    const p = build(
      [
        streamNode('s', 'app'),
        conditionNode('c', [{ column: 'level', operator: '!=', value: 'debug' }]),
        streamNode('d', 'app'),
      ],
      [edge('s', 'c'), edge('c', 'd')],
    );
    const out = p.run([{ level: 'debug' }, { level: 'info' }], vrlRunner(FUNCTIONS));
    expect(out.destinations.get('logs/app')?.indexes).toEqual([1]);
  });
});
