import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  articleValuesCopies,
  articleValuesFile,
  findObject,
  renderArticleChart,
  renderNotes,
} from './test-support/helm.js';

// The parts of `helm template o2 charts/openobserve -f o2-values.yaml` that come from the bundled
// NATS and MinIO charts, the NOTES, and the article values the chart tests render with.

interface Job {
  spec: {
    template: {
      spec: { containers: { name: string; env?: { name: string; value?: string }[] }[] };
    };
  };
}

describe('charts/openobserve bundled NATS and MinIO (o2-values.yaml)', () => {
  const objects = renderArticleChart();

  it('renders the NATS config the nats chart 1.1.12 rendered for these values', () => {
    const conf = findObject<{ data: Record<string, string> }>(
      objects,
      'ConfigMap',
      'o2-nats-config',
    ).data['nats.conf'];
    expect(conf?.trim()).toBe(
      '{"cluster": {"name": "o2-nats", "no_advertise": true, "port": 6222, "routes": ' +
        '["nats://o2-nats-0.o2-nats-headless:6222","nats://o2-nats-1.o2-nats-headless:6222","nats://o2-nats-2.o2-nats-headless:6222"]}, ' +
        '"http_port": 8222, "jetstream": {"max_file_store": 20Gi, "max_memory_store": 0, "store_dir": "/data"}, ' +
        '"lame_duck_duration": "30s", "lame_duck_grace_period": "10s", "pid_file": "/var/run/nats/nats.pid", ' +
        '"port": 4222, "server_name": $SERVER_NAME}',
    );
    const contexts = findObject<{ stringData: Record<string, string> }>(
      objects,
      'Secret',
      'o2-nats-box-contexts',
    );
    expect(JSON.parse(contexts.stringData['default.json'] ?? '')).toEqual({
      url: 'nats://o2-nats',
    });
  });

  it('ships the five mc scripts of the minio chart in o2-minio, each valid sh', () => {
    const scripts = findObject<{ data: Record<string, string> }>(
      objects,
      'ConfigMap',
      'o2-minio',
    ).data;
    expect(Object.keys(scripts).sort()).toEqual([
      'add-policy',
      'add-svcacct',
      'add-user',
      'custom-command',
      'initialize',
    ]);
    for (const [name, script] of Object.entries(scripts)) {
      expect(() => execFileSync('sh', ['-n'], { input: script }), name).not.toThrow();
    }
  });

  it('hooks the MinIO bucket job after install and upgrade, creating the bucket the ingesters write to', () => {
    const job = findObject<Job>(objects, 'Job', 'o2-minio-post-job');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('post-install,post-upgrade');
    const [make] = job.spec.template.spec.containers;
    expect(make?.name).toBe('minio-make-bucket');
    expect(make?.env).toContainEqual({ name: 'BUCKETS', value: 'mysuperduperbucket' });
  });
});

describe('charts/openobserve NOTES.txt', () => {
  it('prints the port-forward to the router and, for NodePort, how to find the node port', () => {
    const notes = renderNotes({
      chart: 'openobserve',
      release: 'o2',
      namespace: 'openobserve',
      valuesFiles: [articleValuesFile('o2-values.yaml')],
    });
    expect(notes).toContain(
      'kubectl --namespace openobserve port-forward svc/o2-openobserve-router 5080:5080',
    );
    expect(notes).toContain('services o2-openobserve-router');
    expect(notes).toContain(
      'http://o2-openobserve-router.openobserve.svc.cluster.local:5080/api/default',
    );
  });
});

describe('the article values in charts/test-values', () => {
  it('are byte-identical to the shared originals when those are present', () => {
    for (const name of ['o2-values.yaml', 'o2c-values.yaml'] as const) {
      const { shared, repository } = articleValuesCopies(name);
      if (shared !== undefined)
        expect(readFileSync(repository, 'utf8'), name).toBe(readFileSync(shared, 'utf8'));
      expect(readFileSync(repository, 'utf8'), name).toContain('enabled: true');
    }
  });
});
