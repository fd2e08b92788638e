import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { conformRecord } from './conform-record.js';
import { evolveSchema } from './evolve-schema.js';
import type { FlatRecord } from './flat-record.js';
import { normalizeRecord } from './normalize-record.js';

// The shared sample (981 Kubernetes log records) sits beside the repository: /work/shared/data.
const K8SLOG = new URL('../../../../shared/data/k8slog.json', import.meta.url);

// The sample carries no timestamp field at all, so every record is stamped with "now".
const NOW = 1_767_225_600_000_000;

describe('normalising the k8slog sample', () => {
  let raw: unknown[];
  beforeAll(async () => {
    raw = JSON.parse(await readFile(K8SLOG, 'utf8')) as unknown[];
  });

  it('accepts all 981 records and infers the expected schema', () => {
    expect(raw).toHaveLength(981);
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
    const first = normalizeRecord(raw[0], { nowMicros: NOW, streamName: 'k8s' });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.record).not.toHaveProperty('code');
    expect(first.record).not.toHaveProperty('level');
    expect(first.record.kubernetes_container_name).toBe('prometheus');
  });
});
