import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { basic, call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { CallResult, StartedRouter } from '../test-support/start-router.js';
import { seedMembers } from '../test-support/seed-members.js';

const OUTSIDER = { email: 'enr-outsider@example.com', password: 'Outsiderpass#1' };

/** A multipart body as a browser's FormData encodes it (undici's encoder). */
async function formData(
  parts: Array<{ field: string; csv: string; filename?: string }>,
): Promise<{ body: Uint8Array; type: string }> {
  const form = new FormData();
  for (const p of parts) {
    if (p.filename === undefined) form.append(p.field, p.csv);
    else form.append(p.field, new Blob([p.csv], { type: 'text/csv' }), p.filename);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    body: new Uint8Array(await request.arrayBuffer()),
    type: request.headers.get('content-type') ?? '',
  };
}

describe('enrichment tables on a real node: upload, streams API, SQL joins, deletion', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let csvServer: Server;
  let csvPort = 0;

  const upload = async (
    name: string,
    csv: string,
    query = '',
    auth = rootAuth(),
    org = 'default',
  ): Promise<CallResult> => {
    const { body, type } = await formData([{ field: 'file', csv, filename: `${name}.csv` }]);
    return call(o2.url, `/api/${org}/enrichment_tables/${name}${query}`, {
      auth,
      body,
      headers: { 'content-type': type },
    });
  };

  // The logs are two hours old; the window ends an hour ago, long before any upload.
  const HOUR = 3_600_000_000;
  const search = async (sql: string, org = 'default', auth = rootAuth()) => {
    const now = Date.now() * 1000;
    return call(o2.url, `/api/${org}/_search?type=logs`, {
      auth,
      json: { query: { sql, start_time: now - 3 * HOUR, end_time: now - HOUR } },
    });
  };
  const hits = (res: CallResult) => (res.body as { hits?: unknown[] }).hits;

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startMetricsNode(dir.path, {
      ZO_ENRICHMENT_TABLE_LIMIT: '1',
      // The CSV server below: reachable by this name only, not by its loopback address.
      ZO_SSRF_ALLOWED_HOSTS: 'localhost',
    }));
    csvServer = createServer((req, res) => {
      const body =
        req.url === '/big.csv' ? `id\n${'1\n'.repeat(600_000)}` : 'id,city\n1,Oslo\n2,Lima\n';
      res.writeHead(req.url === '/missing.csv' ? 404 : 200, { 'content-type': 'text/csv' });
      res.end(body);
    });
    await new Promise<void>((resolve) => csvServer.listen(0, 'localhost', resolve));
    csvPort = (csvServer.address() as AddressInfo).port;
    await seedMembers(o2.url, 'other', [{ ...OUTSIDER, role: 'admin' }]);
    const _timestamp = Date.now() * 1000 - 2 * HOUR;
    const logs = [
      { _timestamp, uid: '1', msg: 'login' },
      { _timestamp, uid: '2', msg: 'logout' },
      { _timestamp, uid: '2', msg: 'login' },
      { _timestamp, uid: '9', msg: 'orphan' },
    ];
    const ingested = await call(o2.url, '/api/default/app/_json', { auth: rootAuth(), json: logs });
    expect([ingested.status, ingested.body]).toMatchObject([
      200,
      { status: [{ successful: 4, failed: 0 }] },
    ]);
  });
  afterAll(async () => {
    await new Promise((resolve) => csvServer.close(resolve));
    await o2.close();
    await dir.remove();
  });

  it('stores an uploaded CSV as an enrichment_tables stream with its schema', async () => {
    const saved = await upload(
      'users',
      '\uFEFFid,name,team\r\n1,Ann,"ops, east"\r\n2,"Bob ""B""",dev\r\n',
    );
    expect([saved.status, saved.body]).toEqual([
      200,
      { code: 200, message: 'Saved enrichment table' },
    ]);
    const listed = await call(
      o2.url,
      '/api/default/streams?type=enrichment_tables&fetchSchema=true',
      {
        auth: rootAuth(),
      },
    );
    const list = (listed.body as { list: Array<Record<string, unknown>> }).list;
    expect(list.map((s) => [s.name, s.stream_type])).toEqual([['users', 'enrichment_tables']]);
    expect(list[0]?.schema).toEqual([
      { name: '_timestamp', type: 'Int64' },
      { name: 'id', type: 'Utf8' },
      { name: 'name', type: 'Utf8' },
      { name: 'team', type: 'Utf8' },
    ]);
    expect((list[0]?.stats as { doc_num: number }).doc_num).toBe(2);
    const status = await call(o2.url, '/api/default/enrichment_tables/status', {
      auth: rootAuth(),
    });
    // O2's status lists URL jobs only; an uploaded file has none.
    expect([status.status, status.body]).toEqual([200, {}]);
  });

  it('joins logs with the table in SQL, schema-qualified either way, whatever the time range', async () => {
    for (const table of ['enrichment_tables."users"', '"enrichment_tables"."users"']) {
      const res = await search(
        `SELECT l.msg, u.name, u.team FROM "app" l JOIN ${table} u ON l.uid = u.id ORDER BY l.msg, u.name`,
      );
      expect([res.status, hits(res)]).toEqual([
        200,
        [
          { msg: 'login', name: 'Ann', team: 'ops, east' },
          { msg: 'login', name: 'Bob "B"', team: 'dev' },
          { msg: 'logout', name: 'Bob "B"', team: 'dev' },
        ],
      ]);
    }
    const left = await search(
      `SELECT l.uid, u.name FROM "app" l LEFT JOIN enrichment_tables."users" u ON l.uid = u.id WHERE u.name IS NULL`,
    );
    expect(hits(left)).toEqual([{ uid: '9' }]);
  });

  it('append adds rows; replace swaps the table and its schema', async () => {
    expect((await upload('users', 'id,name,team\n9,Zed,qa\n', '?append=true')).status).toBe(200);
    const appended = await search(
      `SELECT count(*) AS n FROM "app" l JOIN enrichment_tables."users" u ON l.uid = u.id`,
    );
    expect(hits(appended)).toEqual([{ n: 4 }]);

    expect((await upload('users', 'id,nick\n1,annie\n', '?append=false')).status).toBe(200);
    const replaced = await search(
      `SELECT l.msg, u.nick FROM "app" l JOIN enrichment_tables."users" u ON l.uid = u.id`,
    );
    expect(hits(replaced)).toEqual([{ msg: 'login', nick: 'annie' }]);
    const schema = await call(o2.url, '/api/default/streams/users/schema?type=enrichment_tables', {
      auth: rootAuth(),
    });
    expect((schema.body as { schema: Array<{ name: string }> }).schema.map((f) => f.name)).toEqual([
      '_timestamp',
      'id',
      'nick',
    ]);
  });

  it("serves VRL lookups to /functions/test and query_fn, from the org's own tables only", async () => {
    // The table now holds one row: id 1, nick annie (after the replace above).
    const source = '.user = get_enrichment_table_record!("users", {"id": .uid}, ["nick"])';
    const tested = await call(o2.url, '/api/default/functions/test', {
      auth: rootAuth(),
      json: { function: source, events: [{ uid: '1' }, { uid: '2' }] },
    });
    expect(tested.status).toBe(200);
    const results = (tested.body as { results: Array<{ message: string; event: unknown }> })
      .results;
    expect(results[0]).toEqual({ message: '', event: { uid: '1', user: { nick: 'annie' } } });
    expect(results[1]?.message).toMatch(/no rows found/);

    const now = Date.now() * 1000;
    const withFn = await call(o2.url, '/api/default/_search?type=logs', {
      auth: rootAuth(),
      json: {
        query: {
          sql: `SELECT uid, msg FROM "app" WHERE uid = '1'`,
          start_time: now - 3 * HOUR,
          end_time: now - HOUR,
          query_fn: Buffer.from(
            '.nick = get_enrichment_table_record("users", {"id": .uid}, ["nick"]).nick ?? "none"',
          ).toString('base64'),
        },
      },
    });
    expect(hits(withFn)).toEqual([expect.objectContaining({ uid: '1', nick: 'annie' })]);

    const outsider = basic(OUTSIDER.email, OUTSIDER.password);
    const elsewhere = await call(o2.url, '/api/other/functions/test', {
      auth: outsider,
      json: { function: source, events: [{ uid: '1' }] },
    });
    expect(elsewhere.status).toBe(400);
    expect((elsewhere.body as { message: string }).message).toMatch(
      /enrichment table users not found/,
    );
  });

  it("keeps one org's table out of another org's SQL and status", async () => {
    const outsider = basic(OUTSIDER.email, OUTSIDER.password);
    const res = await search(`SELECT * FROM enrichment_tables."users"`, 'other', outsider);
    expect([res.status, (res.body as { code: number }).code]).toEqual([400, 20002]);
    const status = await call(o2.url, '/api/other/enrichment_tables/status', { auth: outsider });
    expect([status.status, status.body]).toEqual([200, {}]);
    const denied = await upload('users', 'id\n1\n', '', outsider);
    expect(denied.status).toBe(403);
  });

  it('answers 4xx in O2 shape for bad names, bodies and files', async () => {
    const expect400 = async (res: Promise<CallResult>, message: RegExp) => {
      const r = await res;
      expect([r.status, (r.body as { code: number }).code]).toEqual([400, 400]);
      expect((r.body as { message: string }).message).toMatch(message);
    };
    await expect400(upload('x'.repeat(300), 'id\n1\n'), /longer than 256/);
    await expect400(upload('t', 'id\n1\n', '?append=maybe'), /append must be true or false/);
    await expect400(upload('t', ''), /CSV file is empty/);
    await expect400(upload('t', 'id,name\n'), /no data rows/);
    await expect400(upload('t', 'id,Id\n1,2\n'), /appears twice/);
    await expect400(upload('t', 'id,v\n1,"x\n'), /unclosed quote/);
    const fieldOnly = await formData([{ field: 'file', csv: 'id\n1\n' }]);
    await expect400(
      call(o2.url, '/api/default/enrichment_tables/t', {
        auth: rootAuth(),
        body: fieldOnly.body,
        headers: { 'content-type': fieldOnly.type },
      }),
      /no file/,
    );
    const two = await formData([
      { field: 'a', csv: 'id\n1\n', filename: 'a.csv' },
      { field: 'b', csv: 'id\n2\n', filename: 'b.csv' },
    ]);
    await expect400(
      call(o2.url, '/api/default/enrichment_tables/t', {
        auth: rootAuth(),
        body: two.body,
        headers: { 'content-type': two.type },
      }),
      /exactly one file/,
    );
    await expect400(
      call(o2.url, '/api/default/enrichment_tables/t', {
        auth: rootAuth(),
        body: 'id\n1\n',
        headers: { 'content-type': 'text/csv' },
      }),
      /multipart\/form-data/,
    );
    // Past ZO_ENRICHMENT_TABLE_LIMIT (1 MB here): 413, nothing stored.
    const big = await upload('big', `id,pad\n${`1,${'x'.repeat(1000)}\n`.repeat(1100)}`);
    expect([big.status, (big.body as { code: number }).code]).toEqual([413, 413]);
    const listed = await call(o2.url, '/api/default/streams?type=enrichment_tables', {
      auth: rootAuth(),
    });
    expect((listed.body as { list: Array<{ name: string }> }).list.map((s) => s.name)).toEqual([
      'users',
    ]);
  });

  it('fetches a CSV from a URL through the SSRF guard', async () => {
    const fromUrl = (url: string) =>
      call(o2.url, '/api/default/enrichment_tables/cities/url', {
        auth: rootAuth(),
        json: { url },
      });
    const saved = await fromUrl(`http://localhost:${csvPort}/cities.csv`);
    expect([saved.status, saved.body]).toEqual([
      200,
      { code: 200, message: 'Saved enrichment table' },
    ]);
    const rows = await search(`SELECT city FROM enrichment_tables."cities" ORDER BY id`);
    // A plain SELECT over one stream gains `_timestamp`, as in O2; here the upload time.
    expect(hits(rows)?.map((h) => (h as { city: string }).city)).toEqual(['Oslo', 'Lima']);
    const jobs = async (org = 'default', auth = rootAuth()) =>
      (await call(o2.url, `/api/${org}/enrichment_tables/status`, { auth })).body as Record<
        string,
        Array<Record<string, unknown>>
      >;
    expect(await jobs()).toEqual({
      cities: [
        expect.objectContaining({
          table_name: 'cities',
          url: `http://localhost:${csvPort}/cities.csv`,
          status: 'completed',
          error_message: null,
          total_records_processed: 2,
          append_data: false,
        }) as unknown,
      ],
    });
    expect(await jobs('other', basic(OUTSIDER.email, OUTSIDER.password))).toEqual({});
    // The same server by its loopback address is refused before any connection.
    const refused = await fromUrl(`http://127.0.0.1:${csvPort}/cities.csv`);
    expect(refused.status).toBe(400);
    expect((refused.body as { message: string }).message).toMatch(
      /loopback address .* not allowed/,
    );
    const missing = await fromUrl(`http://localhost:${csvPort}/missing.csv`);
    expect([missing.status, (missing.body as { message: string }).message]).toEqual([
      400,
      expect.stringMatching(/cannot fetch the CSV: Destination answered 404/) as unknown,
    ]);
    // A failed fetch is a failed job; the table keeps its rows.
    expect((await jobs()).cities).toEqual([
      expect.objectContaining({
        status: 'failed',
        error_message: expect.stringMatching(/404/) as unknown,
      }) as unknown,
    ]);
    expect(hits(await search(`SELECT count(*) AS n FROM enrichment_tables."cities"`))).toEqual([
      { n: 2 },
    ]);
    const big = await fromUrl(`http://localhost:${csvPort}/big.csv`);
    expect(big.status).toBe(413);
    expect((await fromUrl('file:///etc/passwd')).status).toBe(400);
  });

  it('deletes through the streams API: gone from SQL, the streams list and the status', async () => {
    const fetched = await call(o2.url, '/api/default/enrichment_tables/doomed/url', {
      auth: rootAuth(),
      json: { url: `http://localhost:${csvPort}/cities.csv` },
    });
    expect(fetched.status).toBe(200);
    const deleted = await call(o2.url, '/api/default/streams/doomed?type=enrichment_tables', {
      method: 'DELETE',
      auth: rootAuth(),
    });
    expect(deleted.status).toBe(200);
    const res = await search(`SELECT * FROM enrichment_tables."doomed"`);
    expect([res.status, (res.body as { code: number }).code]).toEqual([400, 20002]);
    const listed = await call(o2.url, '/api/default/streams?type=enrichment_tables', {
      auth: rootAuth(),
    });
    expect((listed.body as { list: Array<{ name: string }> }).list.map((s) => s.name)).toEqual([
      'cities',
      'users',
    ]);
    const status = await call(o2.url, '/api/default/enrichment_tables/status', {
      auth: rootAuth(),
    });
    expect(Object.keys(status.body as object)).toEqual(['cities']);
    // Re-uploading while the deletion is pending is refused, not half-applied.
    expect((await upload('doomed', 'id\n2\n')).status).toBe(409);
  });
});
