import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countRows,
  eventually,
  GENEROUS_MS,
  ingestRows,
  PODS,
  startChartCluster,
} from './test-support/chart-cluster.js';
import { findObject } from './test-support/helm.js';
import type { ChartCluster } from './test-support/chart-cluster.js';

// The chart's wiring, not just its names: render charts/openobserve with the article values, take
// each role's container env as Kubernetes would build it (ConfigMaps, Secret, env, downward API),
// swap only the in-cluster Service host names for local servers (NATS, Postgres, MinIO started by
// packages/testing, with the chart's own credentials), start every role from its built dist/ as
// a process, then ingest through the router and query.

const STREAM = 'chart_wiring';
const ROWS = Array.from({ length: 50 }, (_, i) => ({
  level: i % 5 === 0 ? 'error' : 'info',
  n: i,
}));

describe('chart to processes: the rendered env runs a working cluster', () => {
  let cluster: ChartCluster;

  beforeAll(async () => {
    cluster = await startChartCluster();
  }, 4 * GENEROUS_MS);

  afterAll(async () => {
    await cluster.stop();
  });

  it('maps every in-cluster address the roles use to a local server (the enterprise-only OpenFGA URL aside)', () => {
    for (const [role, env] of cluster.envs) {
      const unmapped = Object.entries(env).filter(
        ([key, value]) => value.includes('.svc.cluster.local') && key !== 'O2_OPENFGA_BASE_URL',
      );
      expect(unmapped, role).toEqual([]);
      expect(env['ZO_NODE_ROLE'], role).toBe(role);
      expect(env['ZO_S3_BUCKET_NAME'], role).toBe('mysuperduperbucket');
    }
  });

  it('keeps all five roles running on the rendered env (none refused its settings)', async () => {
    await new Promise((r) => setTimeout(r, 1_000));
    const stopped = [...cluster.processes].filter(
      ([, p]) => p.child.exitCode !== null || p.child.signalCode !== null,
    );
    expect(
      stopped.map(([role]) => role),
      cluster.output(),
    ).toEqual([]);
    expect([...cluster.processes.keys()].sort()).toEqual([
      'alertmanager',
      'compactor',
      'ingester',
      'querier',
      'router',
    ]);
  });

  it('answers every rendered probe, and /metrics, on the HTTP port of each role', async () => {
    type Probe = { httpGet: { path: string; port: number } };
    type Pod = {
      spec: {
        template: {
          spec: { containers: { livenessProbe?: Probe; readinessProbe?: Probe }[] };
        };
      };
    };
    const probed: string[] = [];
    for (const [role, kind] of PODS.map(([r, k]) => [r, k] as const)) {
      const process = cluster.processes.get(role);
      if (process === undefined) throw new Error(`${role} not started`);
      const [main] = findObject<Pod>(cluster.objects, kind, `o2-openobserve-${role}`).spec.template
        .spec.containers;
      // The probes' port is ZO_HTTP_PORT in the pod; each process here has its own.
      const paths = [main?.livenessProbe, main?.readinessProbe].flatMap((p) =>
        p === undefined ? [] : [p.httpGet.path],
      );
      if (paths.length > 0) probed.push(role);
      for (const path of [...paths, '/healthz', '/readyz', '/metrics']) {
        const status = await eventually(
          () => fetch(`${process.url}${path}`).then((r) => r.status),
          (code) => code === 200,
        );
        expect(status, `${role} ${path}\n${cluster.output()}`).toBe(200);
      }
    }
    expect(probed.sort()).toEqual(['ingester', 'querier', 'router']);
  });

  it(
    'ingests through the router and answers the query from the ingester, then from MinIO',
    async () => {
      expect(await ingestRows(cluster, STREAM, ROWS), cluster.output()).toBe(
        `{"code":200,"status":[{"name":"${STREAM}","successful":${ROWS.length.toString()},"failed":0}]}`,
      );
      const counted = await eventually(
        () => countRows(cluster, STREAM),
        (n) => n === ROWS.length,
      );
      expect(counted, cluster.output()).toBe(ROWS.length);
      expect(await countRows(cluster, STREAM, ` WHERE level = 'error'`)).toBe(10);

      const flushed = await cluster.api('/node/flush', { method: 'PUT' });
      expect(flushed.status, flushed.text).toBe(200);
      const bucketDir = join(cluster.minio.dataDir, 'mysuperduperbucket');
      const parquet = await eventually(
        async () =>
          (await readdir(bucketDir, { recursive: true })).filter((f) => f.includes(STREAM)),
        (files) => files.some((f) => f.endsWith('.parquet')),
      );
      expect(
        parquet?.some((f) => f.endsWith('.parquet')),
        cluster.output(),
      ).toBe(true);
      expect(await countRows(cluster, STREAM)).toBe(ROWS.length);
      // ZO_DATA_DIR=./data/ is relative: the ingester's WAL is in its own "pod"'s ./data, the
      // volume the StatefulSet mounts at /data next to a working directory of /.
      const ingesterData = join(cluster.podsDir, 'o2-openobserve-ingester-0', 'data');
      expect(
        (await readdir(ingesterData, { recursive: true })).length,
        ingesterData,
      ).toBeGreaterThan(0);
    },
    3 * GENEROUS_MS,
  );
});
