import { describe, expect, it } from 'vitest';
import { K8S_SAMPLE_COUNT, generateK8sLogs } from '@o2/testing';
import { conformRecord } from './conform-record.js';
import { evolveSchema } from './evolve-schema.js';
import type { FlatRecord } from './flat-record.js';
import { normalizeRecord } from './normalize-record.js';

// Generated k8s records (the shape of O2's 981-record sample) carry no timestamp field at all,
// so every record is stamped with "now".
const NOW = 1_767_225_600_000_000;

describe('normalising k8s-shaped log records', () => {
  const raw = generateK8sLogs() as Array<Record<string, unknown>>;

  it('accepts all 981 records and infers the expected schema', () => {
    expect(raw).toHaveLength(K8S_SAMPLE_COUNT);
    const records: FlatRecord[] = [];
    const errors: string[] = [];
    for (const r of raw) {
      const result = normalizeRecord(r, { nowMicros: NOW, streamName: 'k8s' });
      if (result.ok) records.push(result.record);
      else errors.push(result.error);
    }
    expect(errors).toEqual([]);
    expect(records).toHaveLength(981);
    expect(records.every((r) => r._timestamp === NOW)).toBe(true);

    const { schema, changed } = evolveSchema([], records);
    expect(changed).toBe(true);
    const types = new Map(schema.map((f) => [f.name, f.type]));
    expect(types.get('_timestamp')).toBe('Int64');
    expect(types.get('code')).toBe('Int64');
    expect(types.get('took')).toBe('Int64');
    expect(types.get('kubernetes_pod_name')).toBe('Utf8');
    expect(types.get('kubernetes_labels_app_kubernetes_io_name')).toBe('Utf8');
    expect(types.get('kubernetes_annotations_kubectl_kubernetes_io_default_container')).toBe(
      'Utf8',
    );
    expect([...types.keys()]).toEqual([...types.keys()].sort());
    expect(schema.every((f) => /^[a-z0-9_]+$/.test(f.name))).toBe(true);

    expect(records.every((r) => conformRecord(r, schema).ok)).toBe(true);
  });

  it('drops the null fields of a record', () => {
    const codeless = raw.find((r) => r['code'] === null && r['level'] === null)!;
    const first = normalizeRecord(codeless, { nowMicros: NOW, streamName: 'k8s' });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.record).not.toHaveProperty('code');
    expect(first.record).not.toHaveProperty('level');
    expect(first.record.kubernetes_container_name).toBe(codeless['kubernetes.container_name']);
    expect(first.record.log).toBe(codeless['log']);
  });

  it('flattens the nested shape to the same columns as the dotted one', () => {
    const nested = generateK8sLogs({ shape: 'nested', count: 50 });
    raw.slice(0, 50).forEach((dotted, i) => {
      const a = normalizeRecord(dotted, { nowMicros: NOW, streamName: 'k8s' });
      const b = normalizeRecord(nested[i], { nowMicros: NOW, streamName: 'k8s' });
      expect(b).toEqual(a);
    });
  });
});
