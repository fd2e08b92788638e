import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import {
  basicAuth,
  ROOT,
  rootUserEnv,
  startHealthyProduct,
  startProductProcess,
} from './product-process.js';
import type { ProductProcess } from './product-process.js';

const ADMIN = { email: 'admin@example.com', password: 'Adminpass#456' };
const MEMBER = { email: 'member@example.com', password: 'Memberpass#789' };

async function api(
  product: ProductProcess,
  path: string,
  who: { email: string; password: string },
  init: RequestInit = {},
) {
  const headers = new Headers(init.headers);
  headers.set('authorization', basicAuth(who.email, who.password));
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${product.url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('single node (services/standalone as a process)', () => {
  let dataDir: TempDir;
  let product: ProductProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await makeTempDir('standalone');
    // A compactor interval far beyond the test's patience: a stream deletion must not wait for it.
    env = { ZO_DATA_DIR: `${dataDir.path}/`, RUST_LOG: 'warn', ZO_COMPACT_INTERVAL: '600' };
    product = await startHealthyProduct('standalone', {
      ...env,
      ...rootUserEnv(),
    });
  });

  afterAll(async () => {
    await product.stop();
    await dataDir.remove();
  });

  it('lists root to root and refuses a wrong password with 401', async () => {
    const list = await api(product, '/api/default/users', ROOT);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      data: [expect.objectContaining({ email: ROOT.email, role: 'root' })],
    });
    const wrong = await api(product, '/api/default/users', { ...ROOT, password: 'Wrongpass#123' });
    expect(wrong.status).toBe(401);
  });

  it('lets an admin add a member who can manage nobody and reach no other org', async () => {
    const addAdmin = await api(product, '/api/default/users', ROOT, {
      method: 'POST',
      body: JSON.stringify({ ...ADMIN, first_name: 'Ada', last_name: 'Admin', role: 'admin' }),
    });
    expect(addAdmin).toEqual({
      status: 200,
      body: { code: 200, message: 'User saved successfully' },
    });
    const addMember = await api(product, '/api/default/users', ADMIN, {
      method: 'POST',
      body: JSON.stringify({ ...MEMBER, first_name: 'Mo', last_name: 'Member', role: 'user' }),
    });
    expect(addMember.status).toBe(200);

    const memberCreates = await api(product, '/api/default/users', MEMBER, {
      method: 'POST',
      body: JSON.stringify({
        email: 'x@example.com',
        password: 'Xpassword#1',
        first_name: '',
        last_name: '',
        role: 'user',
      }),
    });
    expect(memberCreates.status).toBe(403);

    const otherOrg = await api(product, '/api/other_org/users', MEMBER);
    expect([403, 404]).toContain(otherOrg.status);
    expect(JSON.stringify(otherOrg.body)).not.toContain(ROOT.email);

    const deleteRoot = await api(product, `/api/default/users/${ROOT.email}`, ADMIN, {
      method: 'DELETE',
    });
    expect(deleteRoot.status).toBe(403);
  });

  it('deletes a stream within seconds, and keeps the stream written under its name afterwards', async () => {
    const ingest = (records: object[]) =>
      api(product, '/api/default/doomed/_json', ROOT, {
        method: 'POST',
        body: JSON.stringify(records),
      });
    const flush = () => api(product, '/node/flush', ROOT, { method: 'PUT' });
    const docs = async () => {
      const res = await api(product, '/api/default/streams?type=logs&keyword=doomed', ROOT);
      return (res.body as { list: Array<{ stats: { doc_num: number } }> }).list.map(
        (s) => s.stats.doc_num,
      );
    };
    const storedFiles = async () => {
      const dir = `${dataDir.path}/stream/files/default/logs/doomed`;
      const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
      return entries.filter((e) => e.isFile()).length;
    };

    expect((await ingest([{ log: 'a' }, { log: 'b' }, { log: 'c' }])).status).toBe(200);
    expect((await flush()).status).toBe(200);
    expect(await docs()).toEqual([3]);
    expect(await storedFiles()).toBeGreaterThan(0);

    const removed = await api(product, '/api/default/streams/doomed?type=logs', ADMIN, {
      method: 'DELETE',
    });
    expect(removed).toEqual({ status: 200, body: { code: 200, message: 'stream deleted' } });
    expect(await docs()).toEqual([]);
    const schema = await api(product, '/api/default/streams/doomed/schema', ROOT);
    expect(schema.status).toBe(404);
    // The in-process compactor is woken by the request, long before its interval.
    await expect.poll(storedFiles, { timeout: 5_000, interval: 100 }).toBe(0);

    expect((await ingest([{ log: 'reborn', code: 1 }])).status).toBe(200);
    expect((await flush()).status).toBe(200);
    await expect.poll(docs, { timeout: 5_000, interval: 100 }).toEqual([1]);
    expect(await storedFiles()).toBeGreaterThan(0);
  });

  it('keeps users, orgs and passcodes across a restart', async () => {
    const org = await api(product, '/api/organizations', ROOT, {
      method: 'POST',
      body: JSON.stringify({ name: 'team_a' }),
    });
    expect(org.status).toBe(200);
    const passcode = await api(product, '/api/default/passcode', MEMBER);
    expect(passcode.status).toBe(200);

    expect(await product.stop('SIGTERM')).toBe(0);
    // No root credentials this time: the stored root must be used.
    product = await startHealthyProduct('standalone', env);

    const users = await api(product, '/api/default/users', ROOT);
    const emails = (users.body as { data: Array<{ email: string }> }).data
      .map((u) => u.email)
      .sort();
    expect(emails).toEqual([ADMIN.email, MEMBER.email, ROOT.email].sort());
    const orgs = await api(product, '/api/organizations', ROOT);
    expect(JSON.stringify(orgs.body)).toContain('team_a');
    expect(await api(product, '/api/default/passcode', MEMBER)).toEqual(passcode);
  });
});

describe('refusing to start', () => {
  it('lists every missing cluster setting in one message when ZO_LOCAL_MODE=false', async () => {
    const product = await startProductProcess('standalone', {
      ZO_LOCAL_MODE: 'false',
      ZO_NODE_ROLE: 'router',
    });
    expect(await product.exited).not.toBe(0);
    const output = product.output();
    expect(output).toContain('ZO_META_POSTGRES_DSN');
    expect(output).toContain('ZO_S3_BUCKET_NAME');
    expect(output.match(/invalid configuration/g)).toHaveLength(1);
  });

  it('names the root settings when a fresh data dir has no root user', async () => {
    const dir = await makeTempDir('fresh');
    try {
      const product = await startProductProcess('standalone', { ZO_DATA_DIR: `${dir.path}/` });
      expect(await product.exited).not.toBe(0);
      expect(product.output()).toContain('ZO_ROOT_USER_EMAIL');
      expect(product.output()).toContain('ZO_ROOT_USER_PASSWORD');
    } finally {
      await dir.remove();
    }
  });

  it('refuses a weak root password with the policy', async () => {
    const dir = await makeTempDir('weak');
    try {
      const product = await startProductProcess('standalone', {
        ZO_DATA_DIR: `${dir.path}/`,
        ZO_ROOT_USER_EMAIL: ROOT.email,
        ZO_ROOT_USER_PASSWORD: 'password',
      });
      expect(await product.exited).not.toBe(0);
      expect(product.output()).toContain('ZO_ROOT_USER_PASSWORD: Password must contain');
    } finally {
      await dir.remove();
    }
  });
});
