import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeDbDir, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { DOCUMENTED_ROUTES } from './documented-routes.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `method path` the Express router serves, from its own route table. */
function servedRoutes(stack: readonly Layer[]): Set<string> {
  const served = new Set<string>();
  for (const layer of stack) {
    if (layer.route !== undefined) {
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on) served.add(`${method} ${layer.route.path}`);
    } else if (layer.handle?.stack !== undefined) {
      for (const route of servedRoutes(layer.handle.stack)) served.add(route);
    }
  }
  return served;
}

type Json = Record<string, unknown>;

describe('GET /api-doc/openapi.json', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(join(dir.path, 'on'));
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('documents only routes the router really serves', () => {
    const served = servedRoutes((o2.router.api as unknown as { stack: Layer[] }).stack);
    expect(served.size).toBeGreaterThan(50);
    const missing = DOCUMENTED_ROUTES.map((r) => `${r.method} ${r.path}`).filter(
      (route) => !served.has(route),
    );
    expect(missing).toEqual([]);
  });

  it('is served without credentials, as OpenAPI 3.1 built from the route schemas', async () => {
    const res = await call(o2.url, '/api-doc/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, Json>> };
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const path of [
      '/api/{org}/ingestion-tokens',
      '/api/{org}/ingestion-tokens/{name}',
      '/api/{org}/service_accounts',
      '/api/{org}/kv/{key}',
      '/api/{org}/short',
      '/api/{org}/rumtoken',
      '/api/{org}/node/list',
      '/api/{org}/cluster/info',
      '/api/{org}/summary',
      '/api/{org}/settings',
      '/api/organizations',
      '/api/{org}/users/bulk',
    ])
      expect(paths).toContain(path);

    // The create-token body is the handler's own schema: `name` required, `description` optional.
    const create = doc.paths['/api/{org}/ingestion-tokens']?.['post'] as {
      requestBody: { content: { 'application/json': { schema: Json } } };
      responses: Record<string, { content?: { 'application/json': { schema: Json } } }>;
    };
    const body = create.requestBody.content['application/json'].schema;
    expect(body).toMatchObject({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', maxLength: 256 } },
    });
    // The answer is the api-schemas shape the tests parse answers with.
    const answer = create.responses['200']?.content?.['application/json'].schema;
    expect(JSON.stringify(answer)).toContain('"is_default"');
    expect(create.responses['403']).toBeDefined();
    const patch = doc.paths['/api/{org}/ingestion-tokens/{name}']?.['patch'] as {
      parameters: Array<{ name: string; in: string }>;
    };
    expect(patch.parameters.map((p) => [p.name, p.in])).toEqual([
      ['org', 'path'],
      ['name', 'path'],
    ]);
  });

  it('is absent when ZO_SWAGGER_ENABLED=false', async () => {
    const off = await startRouter(join(dir.path, 'off'), { env: { ZO_SWAGGER_ENABLED: 'false' } });
    try {
      expect((await call(off.url, '/api-doc/openapi.json')).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
