import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

interface Listed {
  list: Array<{ name: string; stats: { doc_num: number } }>;
}

const rows = JSON.stringify(Array.from({ length: 12 }, (_, n) => ({ n, log: `line ${n}` })));
const bulk = `${Array.from({ length: 5 }, (_, n) => `{"index":{"_index":"idem_bulk"}}\n{"n":${n}}`).join('\n')}\n`;

describe('Idempotency-Key over HTTP, router + in-process ingester', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    ({ o2 } = await startRouterWithIngester(dir.path));
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const send = (path: string, body: string, key?: string) =>
    call(o2.url, path, {
      auth: rootAuth(),
      body,
      headers: {
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
    });

  const docs = async (org: string, stream: string): Promise<number | undefined> => {
    const res = await call(o2.url, `/api/${org}/streams?type=logs`, { auth: rootAuth() });
    return (res.body as Listed).list.find((s) => s.name === stream)?.stats.doc_num;
  };

  it('stores a body sent three times with one key once, with three identical answers', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await send('/api/default/idem/_json', rows, 'k-json'));
    expect(answers.map((a) => [a.status, a.text])).toEqual(
      Array(3).fill([200, '{"code":200,"status":[{"name":"idem","successful":12,"failed":0}]}']),
    );
    expect(await docs('default', 'idem')).toBe(12);
    // Without a key, a resend is a new request.
    await send('/api/default/idem/_json', rows);
    expect(await docs('default', 'idem')).toBe(24);
  });

  it('answers a _bulk retry with the very first answer (took included)', async () => {
    const first = await send('/api/default/_bulk', bulk, 'k-bulk');
    const again = await send('/api/default/_bulk', bulk, 'k-bulk');
    expect(first.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(await docs('default', 'idem_bulk')).toBe(5);
  });

  it('refuses the same key with another body: 422 in O2 error shape, nothing stored', async () => {
    await send('/api/default/idem_mismatch/_json', rows, 'k-mismatch');
    const other = await send('/api/default/idem_mismatch/_json', '[{"n":99}]', 'k-mismatch');
    expect(other.status).toBe(422);
    expect(other.body).toEqual({
      code: 422,
      message: expect.stringMatching(
        /^Idempotency-Key "k-mismatch" was already used for a different request/,
      ) as unknown,
    });
    const otherStream = await send('/api/default/idem_other/_json', rows, 'k-mismatch');
    expect(otherStream.status).toBe(422);
    expect(await docs('default', 'idem_mismatch')).toBe(12);
    expect(await docs('default', 'idem_other')).toBeUndefined();
  });

  it('scopes keys per organization', async () => {
    const a = await send('/api/idem_org_a/s/_json', rows, 'shared-key');
    const b = await send('/api/idem_org_b/s/_json', rows, 'shared-key');
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await docs('idem_org_a', 's')).toBe(12);
    expect(await docs('idem_org_b', 's')).toBe(12);
  });

  it('answers a malformed key with 400 and a clear message', async () => {
    for (const key of ['has space', 'x'.repeat(256)]) {
      const res = await send('/api/default/idem_bad/_json', rows, key);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 400,
        message:
          'Idempotency-Key must be 1 to 255 visible ASCII characters (letters, digits, punctuation; no spaces)',
      });
    }
    expect(await docs('default', 'idem_bad')).toBeUndefined();
  });

  it('makes concurrent duplicates wait for the first and store once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => send('/api/default/idem_race/_json', rows, 'k-race')),
    );
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    expect(answers[0]?.status).toBe(200);
    expect(await docs('default', 'idem_race')).toBe(12);
  });
});
