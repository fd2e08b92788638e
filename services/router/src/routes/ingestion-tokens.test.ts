import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackSchema, ingestionTokenListSchema, ingestionTokenResponseSchema } from '@o2/api-schemas';
import type { IngestionTokenInfo } from '@o2/api-schemas';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import type { RouterWithIngester } from '../test-support/router-with-ingester.js';
import { basic, call, makeDbDir, rootAuth } from '../test-support/start-router.js';

const ADMIN = { email: 'tokadmin@example.com', password: 'Adminpass#1' };
const MEMBER = { email: 'tokmember@example.com', password: 'Memberpass#1' };
const UNAUTHORIZED = { code: 401, message: 'Unauthorized Access' };

describe('/api/{org}/ingestion-tokens (o2oi_ org ingestion tokens)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let node: RouterWithIngester;
  const admin = basic(ADMIN.email, ADMIN.password);
  const member = basic(MEMBER.email, MEMBER.password);
  const url = () => node.o2.url;

  beforeAll(async () => {
    dir = await makeDbDir();
    node = await startRouterWithIngester(dir.path);
    for (const [who, role] of [
      [ADMIN, 'admin'],
      [MEMBER, 'editor'],
    ] as const) {
      const res = await call(url(), '/api/default/users', {
        auth: rootAuth(),
        json: { ...who, role },
      });
      expect(res.status).toBe(200);
    }
    await call(url(), '/api/organizations', {
      auth: rootAuth(),
      json: { name: 'Other', identifier: 'other' },
    });
  });
  afterAll(async () => {
    await node.o2.close();
    await dir.remove();
  });

  const list = async (auth = admin, org = 'default'): Promise<IngestionTokenInfo[]> => {
    const res = await call(url(), `/api/${org}/ingestion-tokens`, { auth });
    expect(res.status).toBe(200);
    return ingestionTokenListSchema.parse(res.body).data;
  };
  const create = (json: unknown, auth = admin, org = 'default') =>
    call(url(), `/api/${org}/ingestion-tokens`, { auth, json });
  const ingest = (token: string, org = 'default', user = 'anyone') =>
    call(url(), `/api/${org}/tok_stream/_json`, {
      auth: basic(user, token),
      json: [{ level: 'info', message: 'via token' }],
    });

  it("lists the org's default token first, made on first use, with O2's fields", async () => {
    const tokens = await list();
    expect(tokens[0]).toMatchObject({
      name: 'default',
      is_default: true,
      enabled: true,
      description: 'Default org ingestion token',
    });
    expect(tokens[0]?.token).toMatch(/^o2oi_[A-Za-z0-9]{32}$/);
    // Listing again does not make another one.
    expect((await list()).filter((t) => t.is_default)).toHaveLength(1);
  });

  it('creates a named token, shown in full, and refuses bad or duplicate names with 400', async () => {
    const res = await create({ name: 'ci-pipeline_1', description: 'CI' });
    expect(res.status).toBe(200);
    const { data } = ingestionTokenResponseSchema.parse(res.body);
    expect(data).toMatchObject({
      name: 'ci-pipeline_1',
      description: 'CI',
      is_default: false,
      enabled: true,
      created_by: ADMIN.email,
    });
    expect(data.token).toMatch(/^o2oi_[A-Za-z0-9]{32}$/);
    expect((await list()).map((t) => t.name)).toEqual(['default', 'ci-pipeline_1']);
    for (const [json, message] of [
      [{ name: 'ci-pipeline_1' }, "Token with name 'ci-pipeline_1' already exists in this org"],
      [{ name: '  ' }, 'Token name cannot be empty'],
      [
        { name: 'bad name!' },
        'Token name can only contain alphanumeric characters, hyphens, and underscores',
      ],
      [{ name: 'a'.repeat(257) }, 'Token name must be 256 characters or fewer'],
      [{}, 'Token name cannot be empty'],
    ] as const) {
      const bad = await create(json);
      expect([bad.status, bad.body]).toEqual([400, { code: 400, message }]);
    }
  });

  it('lets an enabled token ingest into its own org only; disabled or unknown is 401', async () => {
    const token = ingestionTokenResponseSchema.parse((await create({ name: 'shipper' })).body).data
      .token;
    const ok = await ingest(token);
    expect([ok.status, ok.body]).toEqual([
      200,
      { code: 200, status: [{ name: 'tok_stream', successful: 1, failed: 0 }] },
    ]);
    // The token names its org: another org's ingest route refuses it.
    expect((await ingest(token, 'other')).status).toBe(401);
    // Not valid beyond ingestion routes.
    const read = await call(url(), '/api/default/streams', { auth: basic('x', token) });
    expect(read.status).toBe(401);

    const off = await call(url(), '/api/default/ingestion-tokens/shipper', {
      method: 'PATCH',
      auth: admin,
      json: { enabled: false },
    });
    expect([off.status, ackSchema.parse(off.body)]).toEqual([
      200,
      { code: 200, message: 'Token disabled successfully' },
    ]);
    expect((await list()).find((t) => t.name === 'shipper')?.enabled).toBe(false);
    const refused = await ingest(token);
    expect([refused.status, refused.body]).toEqual([401, UNAUTHORIZED]);
    const unknown = await ingest('o2oi_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect([unknown.status, unknown.body]).toEqual([401, UNAUTHORIZED]);

    await call(url(), '/api/default/ingestion-tokens/shipper', {
      method: 'PATCH',
      auth: admin,
      json: { enabled: true },
    });
    expect((await ingest(token, 'default', ADMIN.email)).status).toBe(200);
  });

  it('rotates a value (the old one stops working) and deletes tokens but not the default', async () => {
    const old = ingestionTokenResponseSchema.parse((await create({ name: 'rotating' })).body).data;
    const rotated = await call(url(), '/api/default/ingestion-tokens/rotating/rotate', {
      method: 'PUT',
      auth: admin,
    });
    expect(rotated.status).toBe(200);
    const fresh = ingestionTokenResponseSchema.parse(rotated.body).data;
    expect(fresh.name).toBe('rotating');
    expect(fresh.token).not.toBe(old.token);
    expect((await ingest(old.token)).status).toBe(401);
    expect((await ingest(fresh.token)).status).toBe(200);

    const removed = await call(url(), '/api/default/ingestion-tokens/rotating', {
      method: 'DELETE',
      auth: admin,
    });
    expect([removed.status, removed.body]).toEqual([
      200,
      { code: 200, message: 'Token deleted successfully' },
    ]);
    expect((await ingest(fresh.token)).status).toBe(401);
    const again = await call(url(), '/api/default/ingestion-tokens/rotating', {
      method: 'DELETE',
      auth: admin,
    });
    expect([again.status, again.body]).toEqual([
      404,
      { code: 404, message: "Token 'rotating' not found" },
    ]);
    const keep = await call(url(), '/api/default/ingestion-tokens/default', {
      method: 'DELETE',
      auth: admin,
    });
    expect(keep.status).toBe(400);
  });

  it('answers 404 for an unknown name and 400 for a bad enable body', async () => {
    const patch = (name: string, json: unknown) =>
      call(url(), `/api/default/ingestion-tokens/${name}`, { method: 'PATCH', auth: admin, json });
    const missing = await patch('nope', { enabled: true });
    expect([missing.status, missing.body]).toEqual([
      404,
      { code: 404, message: "Token 'nope' not found" },
    ]);
    expect((await patch('default', { enabled: 'yes' })).status).toBe(400);
    const rotate = await call(url(), '/api/default/ingestion-tokens/nope/rotate', {
      method: 'PUT',
      auth: admin,
    });
    expect(rotate.status).toBe(404);
  });

  it('is for admins and root of the org only (403), and never crosses orgs', async () => {
    const denied = await call(url(), '/api/default/ingestion-tokens', { auth: member });
    expect([denied.status, denied.body]).toEqual([
      403,
      { code: 403, message: 'Admin or Root role required to list ingestion tokens' },
    ]);
    expect((await create({ name: 'sneaky' }, member)).status).toBe(403);
    // The default org's admin is no member of `other`.
    expect((await call(url(), '/api/other/ingestion-tokens', { auth: admin })).status).toBe(403);
    expect((await create({ name: 'x' }, admin, 'other')).status).toBe(403);
    const patch = await call(url(), '/api/other/ingestion-tokens/default', {
      method: 'PATCH',
      auth: admin,
      json: { enabled: false },
    });
    expect(patch.status).toBe(403);
    // Root sees `other`'s own tokens, none of default's.
    const others = await list(rootAuth(), 'other');
    expect(others.map((t) => t.name)).toEqual(['default']);
    const mine = (await list()).map((t) => t.token);
    expect(mine).not.toContain(others[0]?.token);
    expect((await call(url(), '/api/default/ingestion-tokens', {})).status).toBe(401);
  });

  it('never writes a token value to the log', async () => {
    const tokens = [...(await list()), ...(await list(rootAuth(), 'other'))].map((t) => t.token);
    const logged = node.o2.logs.join('\n');
    for (const token of tokens) expect(logged).not.toContain(token);
  });
});
