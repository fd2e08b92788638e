import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { RealtimePipelines } from './realtime-pipelines.js';

const logged: string[] = [];
const logger = {
  warn: (_f: object, m: string) => void logged.push(m),
  error: (_f: object, m: string) => void logged.push(m),
};

const stream = (name: string) => ({
  node_type: 'stream',
  org_id: 'acme',
  stream_name: name,
  stream_type: 'logs',
});
const doc = (fnName: string) => ({
  pipeline_id: 'p1',
  name: 'p1',
  enabled: true,
  org: 'acme',
  version: 0,
  description: '',
  source: { source_type: 'realtime', org_id: 'acme', stream_name: 'app', stream_type: 'logs' },
  nodes: [
    { id: 's', data: stream('app') },
    { id: 'f', data: { node_type: 'function', name: fnName, after_flatten: false, num_args: 0 } },
    { id: 'd', data: stream('out') },
  ],
  edges: [
    { id: 'es-f', source: 's', target: 'f' },
    { id: 'ef-d', source: 'f', target: 'd' },
  ],
});

describe('RealtimePipelines (the ingester’s view of the metastore)', () => {
  let dir: TempDir;
  let store: MetaStore;
  let now = 0;
  let pipelines: RealtimePipelines;

  beforeEach(async () => {
    dir = await makeTempDir('realtime-pipelines');
    store = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
    await store.migrate();
    await store.functions.create('acme', {
      ...{ name: 'tag', function: '.tagged = "v1"', params: 'row', numArgs: 0, transType: 0 },
    });
    await store.pipelines.create({
      ...{ org: 'acme', pipelineId: 'p1', name: 'p1', enabled: true, sourceType: 'realtime' },
      ...{ streamType: 'logs', streamName: 'app', data: JSON.stringify(doc('tag')) },
    });
    now = 1_000;
    pipelines = new RealtimePipelines(store, { now: () => now, logger, flattenLevel: 3 });
  });
  afterEach(async () => {
    await store.close();
    await dir.remove();
  });

  const runOnce = async () => {
    const org = await pipelines.forOrg('acme');
    const p = org.bySource.get('logs/app');
    if (p === undefined) return undefined;
    return p.pipeline.run([{ msg: 'x' }], p.runner).destinations.get('logs/out')?.records;
  };

  it('compiles the org’s functions and reloads after a change event or 10 s', async () => {
    expect((await pipelines.forOrg('acme')).sources.get('logs')).toEqual(new Set(['app']));
    expect(await runOnce()).toEqual([{ msg: 'x', tagged: 'v1' }]);
    await store.functions.update('acme', {
      ...{ name: 'tag', function: '.tagged = "v2"', params: 'row', numArgs: 0, transType: 0 },
    });
    expect(await runOnce()).toEqual([{ msg: 'x', tagged: 'v1' }]); // cached
    pipelines.forget('acme');
    expect(await runOnce()).toEqual([{ msg: 'x', tagged: 'v2' }]);
    await store.pipelines.setEnabled('acme', 'p1', false);
    now += 10_001;
    expect(await runOnce()).toBeUndefined();
    expect((await pipelines.forOrg('other')).bySource.size).toBe(0);
  });

  it('keeps the loaded pipelines when a reload fails, and skips one that does not compile', async () => {
    expect(await runOnce()).toEqual([{ msg: 'x', tagged: 'v1' }]);
    await store.close();
    now += 10_001;
    expect(await runOnce()).toEqual([{ msg: 'x', tagged: 'v1' }]);
    expect(logged).toContain('pipelines not reloaded; the loaded ones stay');
    store = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
    await store.functions.update('acme', {
      ...{ name: 'tag', function: 'if (((', params: 'row', numArgs: 0, transType: 0 },
    });
    const fresh = new RealtimePipelines(store, { now: () => now, logger, flattenLevel: 3 });
    expect((await fresh.forOrg('acme')).bySource.size).toBe(0);
    expect(logged.at(-1)).toContain('does not compile');
  });
});
