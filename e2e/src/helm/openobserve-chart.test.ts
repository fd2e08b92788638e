import { describe, expect, it } from 'vitest';
import {
  articleValuesFile,
  findObject,
  helmLint,
  renderArticleChart,
} from './test-support/helm.js';
import type { K8sObject } from './test-support/helm.js';
import { schemaProblems, strictDecode } from './test-support/k8s-schema.js';

// `helm template o2 charts/openobserve -f o2-values.yaml -n openobserve` must give the objects
// the official chart 0.10.54 gave in August 2024 (HELM-SPEC §2): same kinds, names and ports.

interface ServiceShape {
  type: string;
  ports: { name: string; port: number; targetPort?: string | number; nodePort?: number }[];
  clusterIP?: string;
}

const HTTP_GRPC = [
  { name: 'http', port: 5080, targetPort: 'http' },
  { name: 'grpc', port: 5081, targetPort: 'grpc' },
];

/** HELM-SPEC §2, the golden list (the nats `helm test` pod is optional and not rendered). */
const GOLDEN: [kind: string, name: string][] = [
  ['ServiceAccount', 'o2-openobserve'],
  ['Secret', 'o2-openobserve'],
  ['Secret', 'o2-openobserve-openobservepguser'],
  ['ConfigMap', 'o2-openobserve'],
  ['ConfigMap', 'o2-openobserve-router'],
  ['ConfigMap', 'o2-openobserve-ingester'],
  ['ConfigMap', 'o2-openobserve-querier'],
  ['ConfigMap', 'o2-openobserve-compactor'],
  ['ConfigMap', 'o2-openobserve-alertmanager'],
  ['Service', 'o2-openobserve-router'],
  ['Service', 'o2-openobserve-ingester'],
  ['Service', 'o2-openobserve-ingester-headless'],
  ['Service', 'o2-openobserve-querier'],
  ['Service', 'o2-openobserve-compactor'],
  ['Service', 'o2-openobserve-alertmanager'],
  ['Deployment', 'o2-openobserve-router'],
  ['Deployment', 'o2-openobserve-compactor'],
  ['Deployment', 'o2-openobserve-alertmanager'],
  ['StatefulSet', 'o2-openobserve-ingester'],
  ['StatefulSet', 'o2-openobserve-querier'],
  ['Cluster', 'o2-openobserve-postgres'],
  ['ConfigMap', 'o2-nats-config'],
  ['Service', 'o2-nats'],
  ['Service', 'o2-nats-headless'],
  ['StatefulSet', 'o2-nats'],
  ['PodDisruptionBudget', 'o2-nats'],
  ['Deployment', 'o2-nats-box'],
  ['Secret', 'o2-nats-box-contexts'],
  ['Secret', 'o2-minio'],
  ['ConfigMap', 'o2-minio'],
  ['PersistentVolumeClaim', 'o2-minio'],
  ['ServiceAccount', 'minio-sa'],
  ['Service', 'o2-minio'],
  ['Service', 'o2-minio-console'],
  ['Deployment', 'o2-minio'],
  ['Job', 'o2-minio-post-job'],
];

const SERVICES: Record<string, { type: string; clusterIP?: string; ports: ServiceShape['ports'] }> =
  {
    'o2-openobserve-router': { type: 'NodePort', ports: HTTP_GRPC },
    'o2-openobserve-ingester': { type: 'ClusterIP', ports: HTTP_GRPC },
    'o2-openobserve-ingester-headless': { type: 'ClusterIP', clusterIP: 'None', ports: HTTP_GRPC },
    'o2-openobserve-querier': { type: 'ClusterIP', ports: HTTP_GRPC },
    'o2-openobserve-compactor': { type: 'ClusterIP', ports: HTTP_GRPC },
    'o2-openobserve-alertmanager': {
      type: 'ClusterIP',
      ports: [...HTTP_GRPC, { name: 'report-server', port: 5082, targetPort: 'report-server' }],
    },
    'o2-nats': { type: 'ClusterIP', ports: [{ name: 'nats', port: 4222, targetPort: 'nats' }] },
    'o2-nats-headless': {
      type: 'ClusterIP',
      clusterIP: 'None',
      ports: [
        { name: 'nats', port: 4222, targetPort: 'nats' },
        { name: 'cluster', port: 6222, targetPort: 'cluster' },
        { name: 'monitor', port: 8222, targetPort: 'monitor' },
      ],
    },
    'o2-minio': { type: 'ClusterIP', ports: [{ name: 'http', port: 9000, targetPort: 9000 }] },
    'o2-minio-console': {
      type: 'NodePort',
      ports: [{ name: 'http', port: 9001, nodePort: 32001 }],
    },
  };

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    containers: {
      name: string;
      image: string;
      ports?: { name: string; containerPort: number }[];
      env?: { name: string; value?: string }[];
      envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
      readinessProbe?: { httpGet: { path: string; port: number } };
      lifecycle?: unknown;
    }[];
    initContainers?: { name: string; command: string[] }[];
  };
}
interface Workload {
  spec: {
    replicas?: number;
    serviceName?: string;
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
    volumeClaimTemplates?: {
      metadata: { name: string };
      spec: { storageClassName?: string; resources: { requests: { storage: string } } };
    }[];
  };
}

describe('charts/openobserve with the article values (o2-values.yaml)', () => {
  const objects = renderArticleChart();

  it('passes helm lint --strict, with the article values and with the defaults', () => {
    expect(
      helmLint({ chart: 'openobserve', valuesFiles: [articleValuesFile('o2-values.yaml')] }),
    ).toContain('0 chart(s) failed');
    expect(helmLint({ chart: 'openobserve' })).toContain('0 chart(s) failed');
  });

  it('renders exactly the (kind, name) set of HELM-SPEC §2', () => {
    const rendered = objects.map((o) => `${o.kind} ${o.metadata.name}`).sort();
    expect(rendered).toEqual(GOLDEN.map(([kind, name]) => `${kind} ${name}`).sort());
  });

  it('every object validates against the Kubernetes schemas (the CNPG Cluster against its CRD model) and the built-in ones against the API types', async () => {
    const problems: string[] = [];
    const unchecked: string[] = [];
    for (const object of objects) {
      const result = await schemaProblems(object);
      if (result === null) unchecked.push(`${object.apiVersion} ${object.kind}`);
      else problems.push(...result);
    }
    expect(problems).toEqual([]);
    // The CloudNativePG Cluster too: @kubernetes-models/cloudnative-pg models its CRD.
    expect(unchecked).toEqual([]);
    const strict = strictDecode(objects);
    expect(strict.invalid).toEqual([]);
    expect(strict.skipped).toEqual(['postgresql.cnpg.io/v1 Cluster o2-openobserve-postgres']);
    expect(strict.checked).toBe(objects.length - 1);
  });

  it('the strict check does catch a misspelt field (so a pass above means something)', () => {
    const [service] = objects.filter((o) => o.kind === 'Service');
    const spec = { ...(service?.['spec'] as object), clusterIp: 'None' };
    const verdict = strictDecode([{ ...(service as K8sObject), spec }]);
    expect(verdict.invalid.join()).toContain('unknown field "spec.clusterIp"');
  });

  it('gives every Service its type, ports and headlessness', () => {
    for (const [name, expected] of Object.entries(SERVICES)) {
      const service = findObject<{ spec: ServiceShape }>(objects, 'Service', name);
      expect(service.spec.type ?? 'ClusterIP', name).toBe(expected.type);
      expect(service.spec.clusterIP, name).toBe(expected.clusterIP);
      expect(
        service.spec.ports.map(({ name: port, port: number, targetPort, nodePort }) => ({
          name: port,
          port: number,
          ...(targetPort === undefined ? {} : { targetPort }),
          ...(nodePort === undefined ? {} : { nodePort }),
        })),
        name,
      ).toEqual(expected.ports);
    }
    expect(
      findObject<{ spec: { publishNotReadyAddresses: boolean } }>(
        objects,
        'Service',
        'o2-nats-headless',
      ).spec,
    ).toMatchObject({ publishNotReadyAddresses: true });
  });

  it('runs each role with its own selector, container, ports, env sources and ZO_NODE_ROLE', () => {
    const roles = [
      ['router', 'Deployment', 'openobserve'],
      ['compactor', 'Deployment', 'openobserve'],
      ['alertmanager', 'Deployment', 'openobserve'],
      ['ingester', 'StatefulSet', 'openobserve-ingester'],
      ['querier', 'StatefulSet', 'openobserve'],
    ] as const;
    for (const [role, kind, container] of roles) {
      const workload = findObject<Workload>(objects, kind, `o2-openobserve-${role}`);
      const selector = {
        'app.kubernetes.io/name': 'openobserve',
        'app.kubernetes.io/instance': 'o2',
        role,
      };
      expect(workload.spec.replicas).toBe(1);
      expect(workload.spec.selector.matchLabels).toEqual(selector);
      expect(workload.spec.template.metadata.labels).toEqual(selector);
      const pod = workload.spec.template.spec;
      expect(pod.containers.map((c) => c.name)).toEqual([container]);
      const [main] = pod.containers;
      expect(main?.ports?.map((p) => `${p.name}:${p.containerPort.toString()}`)).toEqual(
        role === 'alertmanager'
          ? ['http:5080', 'grpc:5081', 'report-server:5082']
          : ['http:5080', 'grpc:5081'],
      );
      expect(main?.envFrom).toEqual([
        { configMapRef: { name: 'o2-openobserve' } },
        { configMapRef: { name: `o2-openobserve-${role}` } },
        { secretRef: { name: 'o2-openobserve' } },
      ]);
      expect(main?.env?.[0]).toEqual({ name: 'ZO_NODE_ROLE', value: role });
      expect(pod.initContainers?.map((c) => c.name)).toEqual(['check-nats']);
      expect(pod.initContainers?.[0]?.command.join(' ')).toContain('nc -zv o2-nats 4222');
      const probed = role === 'router' || role === 'querier' || role === 'ingester';
      expect(main?.readinessProbe?.httpGet, role).toEqual(
        probed ? { path: '/readyz', port: 5080 } : undefined,
      );
      expect(main?.lifecycle !== undefined, role).toBe(role === 'ingester');
    }
  });

  it('gives the StatefulSets their service names and claim templates (class nfs-client)', () => {
    const claims = (name: string) =>
      findObject<Workload>(objects, 'StatefulSet', name).spec.volumeClaimTemplates?.map(
        (t) =>
          `${t.metadata.name} ${t.spec.resources.requests.storage} ${t.spec.storageClassName ?? ''}`,
      );
    expect(
      findObject<Workload>(objects, 'StatefulSet', 'o2-openobserve-ingester').spec.serviceName,
    ).toBe('o2-openobserve-ingester-headless');
    expect(
      findObject<Workload>(objects, 'StatefulSet', 'o2-openobserve-querier').spec.serviceName,
    ).toBe('o2-openobserve-querier');
    expect(claims('o2-openobserve-ingester')).toEqual(['data 10Gi nfs-client']);
    expect(claims('o2-openobserve-querier')).toEqual(['cache 100Gi nfs-client']);
    expect(claims('o2-nats')).toEqual(['o2-nats-js 20Gi nfs-client']);
    const nats = findObject<Workload>(objects, 'StatefulSet', 'o2-nats').spec;
    expect(nats.replicas).toBe(3);
    expect(nats.serviceName).toBe('o2-nats-headless');
    expect(nats.template.spec.containers.map((c) => `${c.name} ${c.image}`)).toEqual([
      'nats dhub.kubesre.xyz/library/nats:2.10.16-alpine',
      'reloader dhub.kubesre.xyz/natsio/nats-server-config-reloader:0.14.2',
    ]);
    const box = findObject<Workload>(objects, 'Deployment', 'o2-nats-box').spec.template.spec
      .containers;
    expect(box.map((c) => `${c.name} ${c.image}`)).toEqual([
      'nats-box dhub.kubesre.xyz/natsio/nats-box:0.14.3',
    ]);
  });

  it('wires the shared env to the NATS, MinIO and Postgres it renders (HELM-SPEC §4.2-4.3)', () => {
    const config = findObject<{ data: Record<string, string> }>(
      objects,
      'ConfigMap',
      'o2-openobserve',
    ).data;
    expect(config).toMatchObject({
      ZO_NODE_ROLE: 'all',
      ZO_LOCAL_MODE: 'false',
      ZO_CLUSTER_COORDINATOR: 'nats',
      ZO_NATS_ADDR: 'nats://o2-nats.openobserve.svc.cluster.local:4222',
      ZO_META_STORE: 'postgres',
      ZO_S3_PROVIDER: 'minio',
      ZO_S3_SERVER_URL: 'http://o2-minio.openobserve.svc.cluster.local:9000',
      ZO_S3_REGION_NAME: 'us-east-1',
      ZO_S3_BUCKET_NAME: 'mysuperduperbucket',
      ZO_HTTP_PORT: '5080',
      ZO_GRPC_PORT: '5081',
      ZO_REPORT_SERVER_HTTP_PORT: '5082',
      ZO_DATA_DIR: './data/',
    });
    for (const value of Object.values(config)) expect(typeof value).toBe('string');
    const secret = findObject<{ stringData: Record<string, string> }>(
      objects,
      'Secret',
      'o2-openobserve',
    ).stringData;
    expect(secret).toMatchObject({
      ZO_ROOT_USER_EMAIL: 'root@example.com',
      ZO_ROOT_USER_PASSWORD: 'Complexpass#123',
      ZO_S3_ACCESS_KEY: 'rootuser',
      ZO_S3_SECRET_KEY: 'rootpass123',
      ZO_META_POSTGRES_DSN:
        'postgres://openobserve:Batman123@o2-openobserve-postgres-rw.openobserve.svc.cluster.local:5432/app?sslmode=disable',
    });
    const pool = findObject<{ data: Record<string, string> }>(
      objects,
      'ConfigMap',
      'o2-openobserve-ingester',
    ).data;
    expect(pool).toEqual({
      ZO_META_CONNECTION_POOL_MIN_SIZE: '0',
      ZO_META_CONNECTION_POOL_MAX_SIZE: '0',
    });
  });

  it('renders the CloudNativePG Cluster of HELM-SPEC §4.7 with the pguser Secret it names', () => {
    const cluster = findObject<{ spec: Record<string, unknown> }>(
      objects,
      'Cluster',
      'o2-openobserve-postgres',
    );
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster.spec).toEqual({
      enableSuperuserAccess: true,
      managed: {
        roles: [
          {
            name: 'openobserve',
            ensure: 'present',
            login: true,
            superuser: true,
            createrole: true,
            inRoles: ['pg_read_all_data', 'pg_write_all_data'],
            passwordSecret: { name: 'o2-openobserve-openobservepguser' },
          },
        ],
      },
      instances: 2,
      storage: { size: '10Gi', pvcTemplate: { storageClassName: 'nfs-client' } },
      postgresql: { parameters: { shared_buffers: '1GB', max_connections: '1500' } },
      monitoring: { enablePodMonitor: true },
      backup: {},
    });
    const user = findObject<{ type: string; stringData: Record<string, string> }>(
      objects,
      'Secret',
      'o2-openobserve-openobservepguser',
    );
    expect(user.type).toBe('kubernetes.io/basic-auth');
    expect(user.metadata.labels?.['cnpg.io/reload']).toBe('true');
    expect(user.stringData).toEqual({ username: 'openobserve', password: 'Batman123' });
  });
});
