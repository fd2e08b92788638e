import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { pipelinesUsingFunction } from './pipelines.js';

const stream = (id: string, name: string) => ({
  id,
  data: { node_type: 'stream', org_id: 'default', stream_name: name, stream_type: 'logs' },
  position: { x: 1, y: 2 },
  io_type: id === 's' ? 'input' : 'output',
});
const fn = (id: string, name: string) => ({
  id,
  data: { node_type: 'function', name, after_flatten: false, num_args: 0 },
  position: { x: 3, y: 4 },
  io_type: 'default',
});
const edge = (source: string, target: string) => ({ id: `e${source}-${target}`, source, target });
const body = (name: string, source = 'app', functionName = 'tag') => ({
  name,
  description: 'd',
  nodes: [stream('s', source), fn('f', functionName), stream('d', `${source}_out`)],
  edges: [edge('s', 'f'), edge('f', 'd')],
});

describe('pipelines API', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const auth = rootAuth();
  const api = (path: string, init: { method?: string; json?: unknown } = {}) =>
    call(o2.url, `/api/default${path}`, { auth, ...init });

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    await o2.store.functions.create('default', {
      name: 'tag',
      function: '.tagged = true',
      params: 'row',
      numArgs: 0,
      transType: 0,
    });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('creates, lists, reads, updates, toggles and deletes in O2 shapes', async () => {
    const created = await api('/pipelines', { json: body('p1') });
    expect([created.status, created.body]).toEqual([
      200,
      { code: 200, message: 'Pipeline created successfully' },
    ]);
    const list = (await api('/pipelines')).body as { list: Array<Record<string, unknown>> };
    expect(list.list).toHaveLength(1);
    const p = list.list[0] as Record<string, unknown> & { pipeline_id: string };
    expect(p).toMatchObject({
      name: 'p1',
      enabled: true,
      version: 1,
      org: 'default',
      source: { source_type: 'realtime', stream_name: 'app', stream_type: 'logs' },
      nodes: [{ id: 's', position: { x: 1, y: 2 } }, { id: 'f' }, { id: 'd' }],
      edges: [{ id: 'es-f' }, { id: 'ef-d' }],
    });
    const one = await api(`/pipelines/${p.pipeline_id}`);
    expect(one.body).toMatchObject({ pipeline_id: p.pipeline_id, name: 'p1' });
    expect(await pipelinesUsingFunction(o2.store, 'default', 'tag')).toEqual([
      { id: p.pipeline_id, name: 'p1' },
    ]);

    const updated = await api('/pipelines', {
      method: 'PUT',
      json: { ...body('p1-renamed'), pipeline_id: p.pipeline_id },
    });
    expect(updated.status).toBe(200);
    expect((await api(`/pipelines/${p.pipeline_id}`)).body).toMatchObject({
      name: 'p1-renamed',
      version: 2,
    });
    const streams = await api('/pipelines/streams');
    expect(streams.body).toEqual({
      list: [{ org_id: 'default', stream_name: 'app', stream_type: 'logs' }],
    });

    const off = await api(`/pipelines/${p.pipeline_id}/enable?value=false`, { method: 'PUT' });
    expect(off.body).toEqual({ code: 200, message: 'Pipeline successfully disabled' });
    expect((await api(`/pipelines/${p.pipeline_id}`)).body).toMatchObject({ enabled: false });
    const bulkOn = await api('/pipelines/bulk/enable?value=true', {
      json: { ids: [p.pipeline_id, 'nope'] },
    });
    expect(bulkOn.body).toMatchObject({ successful: [p.pipeline_id], unsuccessful: ['nope'] });
    expect((await api(`/pipelines/${p.pipeline_id}`)).body).toMatchObject({ enabled: true });

    // A scheduled run's state (as the alertmanager keeps it) goes with the pipeline.
    const kvKeys = [
      `pipelines/schedule/${p.pipeline_id}`,
      `pipelines/schedule/${p.pipeline_id}/run/1`,
    ];
    for (const key of kvKeys) await o2.store.kv.put('default', key, '{}');
    await o2.store.kv.put('default', 'pipelines/schedule/other', '{}');
    const deleted = await api(`/pipelines/${p.pipeline_id}`, { method: 'DELETE' });
    expect(deleted.body).toEqual({ code: 200, message: 'Pipeline deleted successfully' });
    expect(await o2.store.kv.list('default', 'pipelines/schedule/')).toEqual([
      'pipelines/schedule/other',
    ]);
    expect((await api(`/pipelines/${p.pipeline_id}`)).status).toBe(404);
    expect((await api(`/pipelines/${p.pipeline_id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('deletes in bulk', async () => {
    await api('/pipelines', { json: body('b1', 'bulk1') });
    await api('/pipelines', { json: body('b2', 'bulk2') });
    const ids = (
      (await api('/pipelines')).body as { list: Array<{ pipeline_id: string }> }
    ).list.map((p) => p.pipeline_id);
    const res = await api('/pipelines/bulk', { method: 'DELETE', json: { ids: [...ids, 'x'] } });
    expect(res.body).toMatchObject({ successful: ids, unsuccessful: ['x'] });
    expect(((await api('/pipelines')).body as { list: unknown[] }).list).toEqual([]);
  });

  it.each([
    ['an unknown function', body('u1', 'u1', 'missing'), 400, 'Function missing not found'],
    ['no name', { ...body('x'), name: '' }, 400, 'Pipeline name is required'],
    ['a body that is not an object', [1], 400, 'must be a JSON object'],
    [
      'a leaf that is not a stream',
      { name: 'l', nodes: [stream('s', 'l'), fn('f', 'tag')], edges: [edge('s', 'f')] },
      400,
      'All leaf nodes must be StreamNode',
    ],
    [
      'a cycle',
      {
        name: 'c',
        nodes: [stream('s', 'c'), fn('f', 'tag'), fn('g', 'tag'), stream('d', 'c2')],
        edges: [edge('s', 'f'), edge('f', 'g'), edge('g', 'f'), edge('g', 'd')],
      },
      400,
      'Cyclical pipeline detected.',
    ],
  ])('refuses %s', async (_what, json, status, message) => {
    const res = await api('/pipelines', { json });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code: status });
    expect((res.body as { message: string }).message).toContain(message);
  });

  it('refuses a duplicate name or source with 409, bad enable values and unknown ids', async () => {
    expect((await api('/pipelines', { json: body('dup', 'dup') })).status).toBe(200);
    const sameName = await api('/pipelines', { json: body('dup', 'other') });
    expect([sameName.status, sameName.body]).toMatchObject([409, { code: 409 }]);
    const sameSource = await api('/pipelines', { json: body('dup2', 'dup') });
    expect((sameSource.body as { message: string }).message).toContain('same source stream');
    expect((await api('/pipelines/x/enable?value=maybe', { method: 'PUT' })).status).toBe(400);
    expect((await api('/pipelines/x/enable?value=true', { method: 'PUT' })).status).toBe(404);
    const noId = await api('/pipelines', { method: 'PUT', json: body('n') });
    expect(noId.status).toBe(400);
    const unknown = await api('/pipelines', {
      method: 'PUT',
      json: { ...body('n'), pipeline_id: 'zz' },
    });
    expect(unknown.status).toBe(404);
  });
});
