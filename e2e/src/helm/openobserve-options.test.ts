import { describe, expect, it } from 'vitest';
import { findObject, helmTemplate } from './test-support/helm.js';
import { strictDecode } from './test-support/k8s-schema.js';

// charts/openobserve beyond the article values: its defaults, the optional objects behind
// flags, and the features it refuses rather than ignores.

interface Workload {
  spec: { replicas?: number; serviceName?: string };
}
interface ServiceShape {
  type?: string;
}

describe('charts/openobserve with its defaults', () => {
  it('renders pgadmin, no MinIO and no headless ingester Service; a release named *openobserve* is the fullname', () => {
    const objects = helmTemplate({
      chart: 'openobserve',
      release: 'my-openobserve',
      namespace: 'o2',
    });
    const names = objects.map((o) => `${o.kind} ${o.metadata.name}`);
    expect(names).toContain('StatefulSet my-openobserve-pgadmin');
    expect(names).toContain('Service my-openobserve-pgadmin');
    expect(names).toContain('Service my-openobserve-router');
    expect(names.filter((n) => n.includes('minio'))).toEqual([]);
    expect(names).not.toContain('Service my-openobserve-ingester-headless');
    expect(
      findObject<Workload>(objects, 'StatefulSet', 'my-openobserve-ingester').spec.serviceName,
    ).toBe('my-openobserve');
    expect(
      findObject<{ spec: ServiceShape }>(objects, 'Service', 'my-openobserve-router').spec.type,
    ).toBe('ClusterIP');
  });

  it('refuses, with a clear message, NATS and MinIO features it does not render', () => {
    expect(() =>
      helmTemplate({
        chart: 'openobserve',
        release: 'o2',
        namespace: 'o2',
        set: ['nats.config.websocket.enabled=true'],
      }),
    ).toThrow(/nats\.config\.websocket\.enabled.*external NATS/);
    expect(() =>
      helmTemplate({
        chart: 'openobserve',
        release: 'o2',
        namespace: 'o2',
        set: ['minio.enabled=true'],
      }),
    ).toThrow(/minio\.mode=distributed.*standalone/);
  });
});

describe('charts/openobserve optional objects', () => {
  const objects = helmTemplate({
    chart: 'openobserve',
    release: 'o2',
    namespace: 'openobserve',
    set: [
      'ingress.enabled=true',
      'autoscaling.router.enabled=true',
      'autoscaling.ingester.enabled=true',
      'autoscaling.ingester.targetMemoryUtilizationPercentage=70',
    ],
  });

  it('routes the Ingress to the router HTTP port', () => {
    const ingress = findObject<{ spec: { rules: { http: { paths: { backend: unknown }[] } }[] } }>(
      objects,
      'Ingress',
      'o2-openobserve',
    );
    expect(ingress.spec.rules[0]?.http.paths[0]?.backend).toEqual({
      service: { name: 'o2-openobserve-router', port: { number: 5080 } },
    });
  });

  it('scales the router and ingester with HPAs, which then own their replica counts', () => {
    for (const [role, kind] of [
      ['router', 'Deployment'],
      ['ingester', 'StatefulSet'],
    ] as const) {
      const hpa = findObject<{ spec: { scaleTargetRef: unknown; metrics: unknown[] } }>(
        objects,
        'HorizontalPodAutoscaler',
        `o2-openobserve-${role}`,
      );
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind,
        name: `o2-openobserve-${role}`,
      });
      expect(hpa.spec.metrics.length).toBe(role === 'ingester' ? 2 : 1);
      expect(
        findObject<Workload>(objects, kind, `o2-openobserve-${role}`).spec.replicas,
      ).toBeUndefined();
    }
    expect(
      findObject<Workload>(objects, 'Deployment', 'o2-openobserve-compactor').spec.replicas,
    ).toBe(1);
  });

  it('decodes strictly into the Kubernetes API types', () => {
    expect(strictDecode(objects).invalid).toEqual([]);
  });
});
