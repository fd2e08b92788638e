import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { articleValuesFile, findObject, helmLint, helmTemplate } from './test-support/helm.js';
import type { K8sObject } from './test-support/helm.js';
import { schemaProblems, strictDecode } from './test-support/k8s-schema.js';

// `helm template o2c charts/openobserve-collector -f o2c-values.yaml -n openobserve-collector`
// (HELM-SPEC §9), and the collectors' exporters pointing at the router the cluster chart renders.

const F = 'o2c-openobserve-collector';
const LANGUAGES = ['dotnet', 'go', 'java', 'nodejs', 'python'];

interface CollectorSpec {
  mode: string;
  serviceAccount: string;
  image: string;
  config: string | Record<string, unknown>;
  tolerations?: unknown[];
  targetAllocator?: {
    enabled: boolean;
    serviceAccount: string;
    prometheusCR: { enabled: boolean };
  };
}
interface CollectorConfig {
  exporters: Record<string, { endpoint: string; headers: Record<string, string> }>;
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
  service: {
    pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
  };
}

function render(set: string[] = []): K8sObject[] {
  return helmTemplate({
    chart: 'openobserve-collector',
    release: 'o2c',
    namespace: 'openobserve-collector',
    valuesFiles: [articleValuesFile('o2c-values.yaml')],
    set,
  });
}

function collector(
  objects: K8sObject[],
  name: string,
): { spec: CollectorSpec; config: CollectorConfig } {
  const cr = findObject<{ spec: CollectorSpec }>(objects, 'OpenTelemetryCollector', name);
  const { config } = cr.spec;
  return {
    spec: cr.spec,
    config: (typeof config === 'string' ? parse(config) : config) as CollectorConfig,
  };
}

/** The router's in-cluster URL as charts/openobserve renders it for the article values. */
function routerUrlFromClusterChart(): string {
  const objects = helmTemplate({
    chart: 'openobserve',
    release: 'o2',
    namespace: 'openobserve',
    valuesFiles: [articleValuesFile('o2-values.yaml')],
  });
  const router = findObject<{ spec: { ports: { name: string; port: number }[] } }>(
    objects,
    'Service',
    'o2-openobserve-router',
  );
  const http = router.spec.ports.find((p) => p.name === 'http');
  return `http://${router.metadata.name}.openobserve.svc.cluster.local:${String(http?.port)}`;
}

describe('charts/openobserve-collector with the article values (o2c-values.yaml)', () => {
  const objects = render();

  it('passes helm lint --strict, with the article values and with the defaults', () => {
    const values = [articleValuesFile('o2c-values.yaml')];
    expect(helmLint({ chart: 'openobserve-collector', valuesFiles: values })).toContain(
      '0 chart(s) failed',
    );
    expect(helmLint({ chart: 'openobserve-collector' })).toContain('0 chart(s) failed');
    expect(() => render(['collectorApiVersion=v2'])).toThrow(/\/collectorApiVersion/);
  });

  it('renders the ten objects of HELM-SPEC §9.1', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`).sort()).toEqual(
      [
        `v1 ServiceAccount ${F}`,
        `rbac.authorization.k8s.io/v1 ClusterRole ${F}`,
        `rbac.authorization.k8s.io/v1 ClusterRoleBinding ${F}`,
        `opentelemetry.io/v1alpha1 OpenTelemetryCollector ${F}-agent`,
        `opentelemetry.io/v1alpha1 OpenTelemetryCollector ${F}-gateway`,
        ...LANGUAGES.map((l) => `opentelemetry.io/v1alpha1 Instrumentation openobserve-${l}`),
      ].sort(),
    );
  });

  it('validates every object against the Kubernetes schemas, the operator CRs against their CRD models', async () => {
    const problems: string[] = [];
    const unchecked = new Set<string>();
    for (const object of objects) {
      const result = await schemaProblems(object);
      if (result === null) unchecked.add(object.kind);
      else problems.push(...result);
    }
    expect(problems).toEqual([]);
    // OpenTelemetryCollector and Instrumentation too (@kubernetes-models/opentelemetry-operator).
    expect([...unchecked]).toEqual([]);
    const strict = strictDecode(objects);
    expect(strict.invalid).toEqual([]);
    expect(strict.checked).toBe(3);
    const binding = findObject<{ subjects: unknown[] }>(objects, 'ClusterRoleBinding', F);
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: F, namespace: 'openobserve-collector' },
    ]);
  });

  it('sends both collectors to the router Service of charts/openobserve, with the article headers', () => {
    const endpoint = `${routerUrlFromClusterChart()}/api/default`;
    expect(endpoint).toBe(
      'http://o2-openobserve-router.openobserve.svc.cluster.local:5080/api/default',
    );
    const authorization = 'Basic cm9vdEBleGFtcGxlLmNvbTpScmtORWxpenhCWWV4Qzhr';
    for (const name of [`${F}-agent`, `${F}-gateway`]) {
      expect(collector(objects, name).config.exporters, name).toEqual({
        'otlphttp/openobserve': {
          endpoint,
          headers: { Authorization: authorization, 'stream-name': 'k8s_logs' },
        },
        'otlphttp/openobserve_k8s_events': {
          endpoint,
          headers: { Authorization: authorization, 'stream-name': 'k8s_events' },
        },
      });
    }
  });

  it('runs the 0.3.11 pipelines: agent logs/metrics/traces, gateway events/cluster metrics/traces', () => {
    const agent = collector(objects, `${F}-agent`);
    expect(agent.spec).toMatchObject({
      mode: 'daemonset',
      serviceAccount: F,
      image:
        'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.105.0',
      tolerations: [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ],
    });
    expect(typeof agent.spec.config).toBe('string');
    const pipe = (r: string[], p: string[], e: string[]) => ({
      receivers: r,
      processors: p,
      exporters: e,
    });
    expect(agent.config.service.pipelines).toEqual({
      logs: pipe(['filelog/std'], ['batch', 'k8sattributes'], ['otlphttp/openobserve']),
      metrics: pipe(['kubeletstats'], ['batch', 'k8sattributes'], ['otlphttp/openobserve']),
      traces: pipe(['otlp'], ['batch', 'k8sattributes'], ['otlphttp/openobserve']),
    });
    expect(agent.config.processors.batch).toEqual({ send_batch_size: 10000, timeout: '10s' });
    const gateway = collector(objects, `${F}-gateway`);
    expect(gateway.spec).toMatchObject({
      mode: 'statefulset',
      targetAllocator: { enabled: true, serviceAccount: F, prometheusCR: { enabled: true } },
    });
    expect(gateway.config.service.pipelines).toEqual({
      'logs/k8s_events': pipe(
        ['k8s_events'],
        ['batch', 'k8sattributes', 'resourcedetection'],
        ['otlphttp/openobserve_k8s_events'],
      ),
      metrics: pipe(
        ['k8s_cluster', 'spanmetrics', 'servicegraph'],
        ['batch'],
        ['otlphttp/openobserve'],
      ),
      traces: pipe(
        ['otlp'],
        ['batch', 'k8sattributes'],
        ['otlphttp/openobserve', 'spanmetrics', 'servicegraph'],
      ),
    });
    // Every name a pipeline uses is defined in the same config.
    for (const { config } of [agent, gateway]) {
      const connectors = Object.keys(
        (config as unknown as { connectors?: object }).connectors ?? {},
      );
      for (const p of Object.values(config.service.pipelines)) {
        for (const r of p.receivers)
          expect([...Object.keys(config.receivers), ...connectors]).toContain(r);
        for (const x of p.processors) expect(Object.keys(config.processors)).toContain(x);
        for (const e of p.exporters)
          expect([...Object.keys(config.exporters), ...connectors]).toContain(e);
      }
    }
  });

  it('points every Instrumentation at the gateway collector Service', () => {
    for (const language of LANGUAGES) {
      const cr = findObject<{ spec: { exporter: { endpoint: string }; sampler: unknown } }>(
        objects,
        'Instrumentation',
        `openobserve-${language}`,
      );
      const port = language === 'nodejs' ? 4317 : 4318;
      expect(cr.spec.exporter.endpoint).toBe(
        `http://${F}-gateway-collector.openobserve-collector.svc.cluster.local:${port.toString()}`,
      );
      expect(cr.spec.sampler).toEqual({ type: 'parentbased_traceidratio', argument: '1' });
    }
  });

  it('honours agent.enabled/gateway.enabled and renders v1beta1 with the config as a map', () => {
    const names = render(['agent.enabled=false', 'autoinstrumentation.enabled=false']).map(
      (o) => o.metadata.name,
    );
    expect(names).not.toContain(`${F}-agent`);
    expect(names).toContain(`${F}-gateway`);
    const beta = render(['collectorApiVersion=v1beta1']);
    const gateway = findObject<{ spec: CollectorSpec }>(
      beta,
      'OpenTelemetryCollector',
      `${F}-gateway`,
    );
    expect(gateway.apiVersion).toBe('opentelemetry.io/v1beta1');
    expect(typeof gateway.spec.config).toBe('object');
  });
});
