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

  it('rejects mistyped values through values.schema.json, naming the key', () => {
    const render = (set: string) => () =>
      helmTemplate({ chart: 'openobserve', release: 'o2', namespace: 'o2', set: [set] });
    expect(render('service.type=Nodeport')).toThrow(
      /\/service\/type.*'ClusterIP', 'NodePort', 'LoadBalancer'/,
    );
    expect(render('postgres.spec.instances=0')).toThrow(/\/postgres\/spec\/instances/);
    expect(render('minio.mode=cluster')).toThrow(/\/minio\/mode/);
  });

  it('refuses, with a clear message, NATS features it does not render', () => {
    expect(() =>
      helmTemplate({
        chart: 'openobserve',
        release: 'o2',
        namespace: 'o2',
        set: ['nats.config.websocket.enabled=true'],
      }),
    ).toThrow(/nats\.config\.websocket\.enabled.*external NATS/);
  });
});

describe('charts/openobserve with MinIO distributed (the minio chart default mode)', () => {
  const objects = helmTemplate({
    chart: 'openobserve',
    release: 'o2',
    namespace: 'ns',
    set: ['minio.enabled=true', 'minio.drivesPerNode=2', 'minio.pools=2'],
  });

  it('renders a StatefulSet of replicas × pools behind the headless o2-minio-svc, no PVC or Deployment', () => {
    const names = objects
      .filter((o) => o.metadata.name.startsWith('o2-minio'))
      .map((o) => `${o.kind} ${o.metadata.name}`);
    expect(names.sort()).toEqual(
      [
        'ConfigMap o2-minio',
        'Job o2-minio-post-job',
        'Secret o2-minio',
        'Service o2-minio',
        'Service o2-minio-console',
        'Service o2-minio-svc',
        'StatefulSet o2-minio',
      ].sort(),
    );
    interface MinioSet {
      spec: {
        replicas: number;
        serviceName: string;
        volumeClaimTemplates: { metadata: { name: string } }[];
        template: { spec: { containers: { command: string[] }[] } };
      };
    }
    const set = findObject<MinioSet>(objects, 'StatefulSet', 'o2-minio').spec;
    expect(set.replicas).toBe(8);
    expect(set.serviceName).toBe('o2-minio-svc');
    expect(set.volumeClaimTemplates.map((t) => t.metadata.name)).toEqual(['export-0', 'export-1']);
    expect(set.template.spec.containers[0]?.command[2]).toContain(
      'minio server http://o2-minio-{0...3}.o2-minio-svc.ns.svc.cluster.local/export-{0...1} ' +
        'http://o2-minio-{4...7}.o2-minio-svc.ns.svc.cluster.local/export-{0...1} ',
    );
    expect(strictDecode(objects).invalid).toEqual([]);
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

  it('renders the cert-manager Issuer only with an ACME e-mail', () => {
    const render = (set: string[]) =>
      helmTemplate({
        chart: 'openobserve',
        release: 'o2',
        namespace: 'o2',
        set: ['certIssuer.enabled=true', ...set],
      });
    expect(() => render([])).toThrow(/certIssuer\.email/);
    const issuer = findObject<{ apiVersion: string; spec: { acme: { email: string } } }>(
      render(['certIssuer.email=ops@example.com']),
      'Issuer',
      'letsencrypt',
    );
    expect(issuer.apiVersion).toBe('cert-manager.io/v1');
    expect(issuer.spec.acme.email).toBe('ops@example.com');
  });

  it('decodes strictly into the Kubernetes API types', () => {
    expect(strictDecode(objects).invalid).toEqual([]);
  });
});

describe('charts/openobserve ServiceMonitor', () => {
  const render = (set: string[]) =>
    helmTemplate({ chart: 'openobserve', release: 'o2', namespace: 'openobserve', set });

  it('renders none by default', () => {
    expect(render([]).filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
  });

  it('scrapes /metrics on the http port of the five role Services when enabled', () => {
    const objects = render(['serviceMonitor.enabled=true', 'serviceMonitor.labels.release=kps']);
    const monitor = findObject<{
      apiVersion: string;
      metadata: { labels: Record<string, string> };
      spec: {
        selector: { matchLabels: Record<string, string> };
        namespaceSelector: unknown;
        endpoints: unknown[];
      };
    }>(objects, 'ServiceMonitor', 'o2-openobserve');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels['release']).toBe('kps');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['openobserve'] });
    expect(monitor.spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' },
    ]);
    // The Services it selects: each role's, never the headless ingester one (no double scrape).
    const selected = objects
      .filter((o) => o.kind === 'Service')
      .filter((o) =>
        Object.entries(monitor.spec.selector.matchLabels).every(
          ([k, v]) => o.metadata.labels?.[k] === v,
        ),
      )
      .map((o) => o.metadata.name)
      .sort();
    expect(selected).toEqual(
      ['alertmanager', 'compactor', 'ingester', 'querier', 'router'].map(
        (r) => `o2-openobserve-${r}`,
      ),
    );
  });
});

describe('charts/openobserve MinIO post-install job options', () => {
  it('adds the policy, service-account and custom-command containers when those lists are set', () => {
    const objects = helmTemplate({
      chart: 'openobserve',
      release: 'o2',
      namespace: 'ns',
      set: [
        'minio.enabled=true',
        'minio.mode=standalone',
        'minio.policies[0].name=o2rw',
        'minio.policies[0].statements[0].actions[0]=s3:*',
        'minio.policies[0].statements[0].resources[0]=arn:aws:s3:::mysuperduperbucket/*',
        'minio.svcaccts[0].user=rootuser',
        'minio.svcaccts[0].accessKey=o2svc',
        'minio.svcaccts[0].secretKey=o2svcsecret',
        'minio.customCommands[0].command=anonymous set none myminio/mysuperduperbucket',
      ],
    });
    interface Job {
      spec: {
        template: {
          spec: { containers: { name: string; env: { name: string; value: string }[] }[] };
        };
      };
    }
    const containers = findObject<Job>(objects, 'Job', 'o2-minio-post-job').spec.template.spec
      .containers;
    expect(containers.map((c) => c.name)).toEqual([
      'minio-make-bucket',
      'minio-make-policy',
      'minio-make-svcacct',
      'minio-custom-command',
    ]);
    expect(containers[2]?.env).toContainEqual({
      name: 'SVCACCTS',
      value: 'rootuser:o2svc:o2svcsecret',
    });
    const data = findObject<{ data: Record<string, string> }>(
      objects,
      'ConfigMap',
      'o2-minio',
    ).data;
    expect(JSON.parse(data['policy-o2rw.json'] ?? '')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::mysuperduperbucket/*'] },
      ],
    });
    expect(data['custom-commands']).toBe('anonymous set none myminio/mysuperduperbucket');
    expect(strictDecode(objects).invalid).toEqual([]);
  });
});
