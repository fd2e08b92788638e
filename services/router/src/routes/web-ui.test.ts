import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDbDir, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const INDEX =
  '<!doctype html><script type="module" src="/web/assets/app-abc123.js"></script><div id="root"></div>';

/** A built UI as vite leaves it: index.html plus hashed assets. */
async function fakeBuild(dir: string): Promise<string> {
  const root = join(dir, 'web-dist');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), INDEX);
  await writeFile(join(root, 'assets', 'app-abc123.js'), 'console.log("app")');
  await writeFile(join(root, 'favicon.svg'), '<svg/>');
  return root;
}

const get = (url: string) => fetch(url, { redirect: 'manual' });

describe('the web UI at /web/', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let based: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    const webRoot = await fakeBuild(dir.path);
    o2 = await startRouter(dir.path, { deps: { webRoot } });
    based = await startRouter(join(dir.path), {
      deps: { webRoot },
      env: { ZO_BASE_URI: '/o2' },
    });
  });
  afterAll(async () => {
    await based.close();
    await o2.close();
    await dir.remove();
  });

  it('redirects / and /web to /web/', async () => {
    for (const path of ['/', '/web']) {
      const res = await get(`${o2.url}${path}`);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/web/');
    }
    const withQuery = await get(`${o2.url}/web?org_identifier=default`);
    expect(withQuery.headers.get('location')).toBe('/web/?org_identifier=default');
  });

  it('serves index.html uncached for the app root and every client route', async () => {
    for (const path of ['/web/', '/web/login', '/web/streams?org_identifier=default']) {
      const res = await get(`${o2.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('caches hashed assets for a year and 404s a missing one', async () => {
    const asset = await get(`${o2.url}/web/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log("app")');
    const stale = await get(`${o2.url}/web/assets/app-old999.js`);
    expect(stale.status).toBe(404);
    expect(await stale.json()).toEqual({ code: 404, message: 'Not Found' });
  });

  it('serves other built files uncached and refuses path traversal', async () => {
    const icon = await get(`${o2.url}/web/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    const escape = await get(`${o2.url}/web/assets/..%2f..%2fmetadata.sqlite`);
    expect(escape.status).not.toBe(200);
  });

  it('keeps the API behind auth next to the UI', async () => {
    expect((await get(`${o2.url}/api/default/streams`)).status).toBe(401);
  });

  it('under ZO_BASE_URI prefixes the redirect and the asset URLs', async () => {
    const res = await get(`${based.url}/o2/`);
    expect(res.headers.get('location')).toBe('/o2/web/');
    const html = await (await get(`${based.url}/o2/web/logs`)).text();
    expect(html).toContain('src="/o2/web/assets/app-abc123.js"');
    expect((await get(`${based.url}/o2/web/assets/app-abc123.js`)).status).toBe(200);
  });
});

describe('without a built UI', () => {
  it('answers /web/ with how to build it', async () => {
    const dir = await makeDbDir();
    const o2 = await startRouter(dir.path, { deps: { webRoot: join(dir.path, 'missing') } });
    try {
      const res = await get(`${o2.url}/web/`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { message: string }).message).toMatch(/pnpm install/);
    } finally {
      await o2.close();
      await dir.remove();
    }
  });
});
