import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { seedMembers } from '../test-support/seed-members.js';

const VIEWER = { email: 'fn-viewer@example.com', password: 'Viewerpass#1' };
const EDITOR = { email: 'fn-editor@example.com', password: 'Editorpass#1' };

const vrl = (name: string, source = '.a = 1') => ({
  name,
  function: source,
  params: 'row',
  transType: 0,
});

describe('/api/{org}/functions (O2 Functions API)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const viewer = basic(VIEWER.email, VIEWER.password);
  const editor = basic(EDITOR.email, EDITOR.password);

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, {
      deps: {
        functionDependencies: (_org, name) =>
          Promise.resolve(name === 'used_fn' ? [{ id: 'p1', name: 'ingest_pipe' }] : []),
      },
    });
    await seedMembers(o2.url, 'default', [
      { ...VIEWER, role: 'viewer' },
      { ...EDITOR, role: 'editor' },
    ]);
    await seedMembers(o2.url, 'other', []);
  });
  afterAll(async () => {
    await o2?.close();
    await dir?.remove();
  });

  const api = (path: string, options: Parameters<typeof call>[2] = {}) =>
    call(o2.url, `/api/default/functions${path}`, { auth: rootAuth(), ...options });

  it('creates, lists, updates and deletes functions with O2 bodies', async () => {
    const created = await api('', { json: vrl('add_a') });
    expect([created.status, created.body]).toEqual([
      200,
      { code: 200, message: 'Function saved successfully' },
    ]);
    const js = { name: 'js_fn', function: 'row.x = 1;', params: 'row', numArgs: 0, transType: 1 };
    expect((await api('', { auth: editor, json: js })).status).toBe(200);
    const list = await api('');
    expect(list.body).toEqual({
      list: [{ name: 'add_a', function: '.a = 1', params: 'row', numArgs: 0, transType: 0 }, js],
    });
    const updated = await api('/add_a', { method: 'PUT', json: vrl('ignored', '.b = 2') });
    expect([updated.status, updated.body]).toEqual([
      200,
      { code: 200, message: 'Function updated successfully' },
    ]);
    const after = (await api('')).body as { list: Array<{ name: string; function: string }> };
    expect(after.list.find((f) => f.name === 'add_a')?.function).toBe('.b = 2');
    expect((await api('/nope', { method: 'PUT', json: vrl('nope') })).status).toBe(404);
    expect((await api('/js_fn', { method: 'DELETE' })).body).toEqual({
      code: 200,
      message: 'Function deleted',
    });
    const gone = await api('/js_fn', { method: 'DELETE' });
    expect([gone.status, gone.body]).toMatchObject([404, { code: 404 }]);
  });

  it('answers 400 for a duplicate, a garbage name, garbage VRL or JS, and bad bodies', async () => {
    await api('', { json: vrl('dup') });
    const cases: Array<[unknown, RegExp]> = [
      [vrl('dup'), /already exists/],
      [vrl('bad name!'), /Invalid function name/],
      [vrl('1abc'), /Invalid function name/],
      [vrl(''), /Invalid function name/],
      [vrl('garbage_vrl', '.a = ((('), /vrl compile error/],
      [vrl('fallible', '.a = to_int(.b)'), /vrl compile error/],
      [{ ...vrl('bad_js'), function: 'row.x = ;', transType: 1 }, /JavaScript compile error/],
      [{ ...vrl('tt'), transType: 2 }, /transType must be 0 \(VRL\) or 1 \(JS\)/],
      [{ name: 'nofn' }, /function/],
      [{ ...vrl('na'), numArgs: -1 }, /numArgs/],
      [[vrl('arr')], /Request body must be a JSON object/],
    ];
    for (const [json, message] of cases) {
      const res = await api('', { json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body).toEqual({ code: 400, message: expect.stringMatching(message) as string });
    }
    expect((await api('/bad%20name')).status).toBe(400);
  });

  it('lists pipeline dependencies and refuses to delete a function in use', async () => {
    await api('', { json: vrl('used_fn') });
    expect((await api('/used_fn')).body).toEqual({ list: [{ id: 'p1', name: 'ingest_pipe' }] });
    expect((await api('/add_a')).body).toEqual({ list: [] });
    expect((await api('/missing_fn')).status).toBe(404);
    const refused = await api('/used_fn', { method: 'DELETE' });
    expect([refused.status, refused.body]).toEqual([
      409,
      { code: 409, message: 'Function used_fn is used by pipelines: ingest_pipe' },
    ]);
    await api('', { json: vrl('bulk_a') });
    const bulk = await api('/bulk', {
      method: 'DELETE',
      json: { ids: ['bulk_a', 'used_fn', 'never'] },
    });
    expect(bulk.body).toEqual({
      successful: ['bulk_a'],
      unsuccessful: ['used_fn', 'never'],
      err: 'Function not found',
    });
  });

  it('tests a function on events: results per event, errors per event, compile errors 400', async () => {
    const ok = await api('/test', {
      json: { function: '.count = to_int!(.count) + 1', events: [{ count: 5 }, { count: 'x' }] },
    });
    expect(ok.status).toBe(200);
    const { results } = ok.body as { results: Array<{ message: string; event: unknown }> };
    expect(results[0]).toEqual({ message: '', event: { count: 6 } });
    expect(results[1]?.message).toMatch(/vrl runtime error/);
    expect(results[1]?.event).toEqual({ count: 'x' });
    const js = await api('/test', {
      json: { function: 'row.n = undefinedName;', events: [{}], trans_type: 1 },
    });
    const jsResults = (js.body as { results: Array<{ message: string }> }).results;
    expect(jsResults[0]?.message).toMatch(/ReferenceError/);
    const jsOk = await api('/test', {
      json: {
        function: 'row.count = (row.count || 0) + 1;',
        events: [{ count: 5 }],
        trans_type: 1,
      },
    });
    expect(jsOk.body).toEqual({ results: [{ message: '', event: { count: 6 } }] });
    for (const json of [
      { function: '.a = (((', events: [{}] },
      { function: '.a = 1', events: 'x' },
      { function: '.a = 1', events: [{}], trans_type: 7 },
    ]) {
      const res = await api('/test', { json });
      expect([res.status, (res.body as { code: number }).code]).toEqual([400, 400]);
    }
  });

  it('lets a viewer read but not write, and keeps orgs apart', async () => {
    expect((await api('', { auth: viewer })).status).toBe(200);
    for (const [method, path, json] of [
      ['POST', '', vrl('v_fn')],
      ['PUT', '/add_a', vrl('add_a')],
      ['DELETE', '/add_a', undefined],
      ['DELETE', '/bulk', { ids: ['add_a'] }],
      ['POST', '/test', { function: '.a = 1', events: [{}] }],
    ] as const) {
      const res = await api(path, { method, auth: viewer, ...(json ? { json } : {}) });
      expect([res.status, res.body], `${method} ${path}`).toMatchObject([403, { code: 403 }]);
    }
    await call(o2.url, '/api/other/functions', { auth: rootAuth(), json: vrl('other_only') });
    const other = await call(o2.url, '/api/other/functions', { auth: rootAuth() });
    expect((other.body as { list: Array<{ name: string }> }).list.map((f) => f.name)).toEqual([
      'other_only',
    ]);
    const mine = (await api('')).body as { list: Array<{ name: string }> };
    expect(mine.list.map((f) => f.name)).not.toContain('other_only');
    expect((await api('/other_only')).status).toBe(404);
    expect((await api('/other_only', { method: 'DELETE' })).status).toBe(404);
    const outsider = await call(o2.url, '/api/other/functions', { auth: editor });
    expect(outsider.status).toBe(403);
  });
});
