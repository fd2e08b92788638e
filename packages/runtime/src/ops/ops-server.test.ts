import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { createLogger } from '@o2/logger';
import { opsServer } from './ops-server.js';
import type { OpsServer } from './ops-server.js';
import type { ReadinessProbe, ReasonSource } from './readiness.js';

const logger = createLogger({ level: 'silent' });

describe('opsServer', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  const start = async (options: {
    probes?: ReadinessProbe[];
    sources?: ReasonSource[];
    metricsEnabled?: boolean;
    registry?: Registry;
  }) => {
    server = opsServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      registry: options.registry ?? new Registry(),
      metricsEnabled: options.metricsEnabled ?? true,
      probes: options.probes ?? [],
      sources: options.sources ?? [],
    });
    await server.start();
    const base = `http://127.0.0.1:${server.port().toString()}`;
    return async (path: string, init?: RequestInit) => {
      const response = await fetch(`${base}${path}`, init);
      return { status: response.status, text: await response.text() };
    };
  };

  it('is alive and ready while every probe and source answers', async () => {
    const get = await start({
      probes: [{ name: 'metadata store', check: () => Promise.resolve() }],
    });
    expect(await get('/healthz')).toEqual({ status: 200, text: '{"status":"ok"}' });
    expect(await get('/readyz')).toEqual({ status: 200, text: '{"status":"ok"}' });
  });

  it('is degraded with one reason per failing probe, a slow one and a source added later', async () => {
    const sources: ReasonSource[] = [];
    const get = await start({
      probes: [
        { name: 'metadata store', check: () => Promise.reject(new Error('connection refused')) },
        { name: 'object store', check: () => new Promise(() => undefined) },
      ],
      sources,
    });
    sources.push(() => ['WAL disk full']);
    const answer = await get('/readyz');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({
      status: 'degraded',
      reasons: [
        'metadata store unreachable: connection refused',
        'object store unreachable: no answer within 2000 ms',
        'WAL disk full',
      ],
    });
    // Liveness never depends on them.
    expect((await get('/healthz')).status).toBe(200);
  }, 10_000);

  it('serves the registry on /metrics, empty when metrics are off', async () => {
    const registry = new Registry();
    new Counter({ name: 'zo_test_total', help: 'test', registers: [registry] }).inc(3);
    let get = await start({ registry });
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('zo_test_total 3');
    await server?.stop();
    get = await start({ registry, metricsEnabled: false });
    expect(await get('/metrics')).toEqual({ status: 200, text: '' });
  });

  it('answers other paths and methods with 404 and 405 in O2 shape', async () => {
    const get = await start({});
    expect(await get('/api/default/_search')).toEqual({
      status: 404,
      text: '{"code":404,"message":"not found"}',
    });
    expect(await get('/healthz', { method: 'POST' })).toEqual({
      status: 405,
      text: '{"code":405,"message":"method not allowed"}',
    });
  });
});
