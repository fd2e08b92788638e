import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from './product-process.js';
import type { ProductProcess } from './product-process.js';
import { edge, node, orgApi, stream } from './pipeline-kit.js';

const AUTH = basicAuth(ROOT.email, ROOT.password);

const ENRICH = [
  '.level = upcase(string(.level) ?? "info")',
  '.host = downcase(string!(.kubernetes.host))',
  'del(.stream)',
].join('\n');

/**
 * A realtime pipeline on a real single node, through its HTTP API: a VRL function, a condition
 * and two destination streams. What is acknowledged is what is stored, also after a SIGKILL
 * (the WAL keeps the pipeline's output rows, so the replay does not depend on the functions).
 */
describe('realtime pipelines on a single node', () => {
  let dataDir: TempDir;
  let product: ProductProcess;
  let env: Record<string, string>;

  const { api, rowsOf } = orgApi(() => product.url, AUTH);

  beforeAll(async () => {
    dataDir = await makeTempDir('pipelines');
    env = {
      ZO_DATA_DIR: `${dataDir.path}/`,
      ...rootUserEnv(),
      ZO_MEM_PERSIST_INTERVAL: '3600',
      ZO_FILE_PUSH_INTERVAL: '3600',
      RUST_LOG: 'warn',
    };
    product = await startHealthyProduct('standalone', env, 60_000);
  }, 90_000);
  afterAll(async () => {
    await product?.stop();
    await dataDir?.remove();
  });

  it('transforms, filters and fans out records, found by _search; the same after a crash', async () => {
    const fn = await api('/functions', {
      json: { name: 'enrich', function: ENRICH, params: 'row', numArgs: 0, transType: 0 },
    });
    expect(fn.status).toBe(200);
    const created = await api('/pipelines', {
      json: {
        name: 'route-errors',
        nodes: [
          node('src', stream('pipe_src')),
          node('fn', { node_type: 'function', name: 'enrich', after_flatten: false }),
          node('cond', {
            node_type: 'condition',
            conditions: [{ column: 'level', operator: '=', value: 'ERROR' }],
          }),
          node('all', stream('pipe_all')),
          node('err', stream('pipe_errors')),
        ],
        edges: [edge('src', 'fn'), edge('fn', 'all'), edge('fn', 'cond'), edge('cond', 'err')],
      },
    });
    expect([created.status, await created.json()]).toEqual([
      200,
      { code: 200, message: 'Pipeline created successfully' },
    ]);

    const ingest = await api('/pipe_src/_json', {
      json: [
        { msg: 'a', level: 'error', kubernetes: { host: 'NODE-1' }, stream: 'x' },
        { msg: 'b', level: 'info', kubernetes: { host: 'Node-2' } },
        // `string!` fails on a missing host: kept untransformed, as O2 does.
        { msg: 'c', level: 'error' },
      ],
    });
    expect(await ingest.json()).toEqual({
      code: 200,
      status: [{ name: 'pipe_src', successful: 3, failed: 0 }],
    });

    const check = async () => {
      const all = await rowsOf('pipe_all');
      expect(all.map((r) => [r['msg'], r['level'], r['host'], r['stream']])).toEqual([
        ['a', 'ERROR', 'node-1', undefined],
        ['b', 'INFO', 'node-2', undefined],
        ['c', 'error', undefined, undefined],
      ]);
      const errors = await rowsOf('pipe_errors');
      expect(errors.map((r) => [r['msg'], r['kubernetes_host']])).toEqual([['a', 'NODE-1']]);
      // The source stream is not in the graph's destinations: nothing is stored there.
      expect(await rowsOf('pipe_src')).toEqual([]);
    };
    await check();

    // SIGKILL with the rows only in the WAL and memtables; the replay must give the same rows.
    product.child.kill('SIGKILL');
    await product.exited;
    product = await startHealthyProduct('standalone', env, 60_000);
    await check();

    // A disabled pipeline lets the stream through unchanged.
    const list = (await (await api('/pipelines')).json()) as {
      list: Array<{ pipeline_id: string }>;
    };
    const id = list.list[0]?.pipeline_id ?? '';
    const off = await api(`/pipelines/${id}/enable?value=false`, { method: 'PUT' });
    expect(off.status).toBe(200);
    await api('/pipe_src/_json', { json: [{ msg: 'd', level: 'info' }] });
    expect((await rowsOf('pipe_src')).map((r) => [r['msg'], r['level']])).toEqual([['d', 'info']]);
  }, 180_000);
  it('looks rows up in an enrichment table at ingest', async () => {
    const form = new FormData();
    form.append('file', new Blob(['host,team\nh1,payments\nh2,search\n']), 'hosts.csv');
    const upload = await fetch(`${product.url}/api/default/enrichment_tables/hosts?append=false`, {
      method: 'POST',
      headers: { authorization: AUTH },
      body: form,
    });
    expect(upload.status).toBe(200);
    const source = 'row = get_enrichment_table_record!("hosts", {"host": .host})\n.team = row.team';
    const fn = await api('/functions', {
      json: { name: 'team_of', function: source, params: 'row', numArgs: 0, transType: 0 },
    });
    expect(fn.status).toBe(200);
    const created = await api('/pipelines', {
      json: {
        name: 'team-lookup',
        nodes: [
          node('src', stream('enr_src')),
          node('fn', { node_type: 'function', name: 'team_of', after_flatten: false }),
          node('out', stream('enr_out')),
        ],
        edges: [edge('src', 'fn'), edge('fn', 'out')],
      },
    });
    expect(created.status).toBe(200);
    await api('/enr_src/_json', {
      json: [
        { msg: 'a', host: 'h1' },
        { msg: 'b', host: 'h2' },
        // No row for this host: the lookup fails and the record is kept as it came (O2).
        { msg: 'c', host: 'h9' },
      ],
    });
    const rows = await rowsOf('enr_out');
    expect(rows.map((r) => [r['msg'], r['team']])).toEqual([
      ['a', 'payments'],
      ['b', 'search'],
      ['c', undefined],
    ]);
  }, 60_000);
});
