import type { MetaStore } from '@o2/metastore';
import type { FlatRecord } from '@o2/schema';
import type { StreamKey } from './memtable/memtables.js';

/** One of a stream's `partition_keys` settings, as the streams API stores them. */
export interface PartitionKey {
  field: string;
  /** `value`: the value itself; `prefix`: its first character; `{hash: n}`: one of n buckets. */
  types: 'value' | 'prefix' | { hash: number };
}

export type PartitionPairs = ReadonlyArray<readonly [string, string]>;

const SETTINGS_TTL_MS = 1_000;

/** Reads `partition_keys` (`{"L0": {...}, "L1": {...}}` or a list) in level order, skipping disabled ones. */
export function partitionKeysOf(settings: Record<string, unknown> | undefined): PartitionKey[] {
  const raw = settings?.['partition_keys'];
  const entries: unknown[] = Array.isArray(raw)
    ? raw
    : typeof raw === 'object' && raw !== null
      ? Object.entries(raw as Record<string, unknown>)
          .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
          .map(([, v]) => v)
      : [];
  const keys: PartitionKey[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') keys.push({ field: entry, types: 'value' });
    else if (typeof entry === 'object' && entry !== null) {
      const e = entry as { field?: unknown; types?: unknown; disabled?: unknown };
      if (typeof e.field !== 'string' || e.disabled === true) continue;
      const types = e.types;
      if (types === 'prefix') keys.push({ field: e.field, types: 'prefix' });
      else if (
        typeof types === 'object' &&
        types !== null &&
        Number((types as { hash?: unknown }).hash) > 0
      ) {
        keys.push({ field: e.field, types: { hash: Number((types as { hash: unknown }).hash) } });
      } else keys.push({ field: e.field, types: 'value' });
    }
  }
  return keys;
}

/** FNV-1a over UTF-16 code units: stable across processes and versions, which is all buckets need. */
function bucketOf(value: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % buckets;
}

/** The partition directory pairs of one record (missing fields partition as an empty value). */
export function partitionPairsOf(
  record: FlatRecord,
  keys: readonly PartitionKey[],
): PartitionPairs {
  if (keys.length === 0) return [];
  return keys.map((key) => {
    const raw = record[key.field];
    const value = raw === undefined ? '' : String(raw);
    if (key.types === 'value') return [key.field, value] as const;
    if (key.types === 'prefix') return [key.field, value.slice(0, 1)] as const;
    return [key.field, String(bucketOf(value, key.types.hash))] as const;
  });
}

/**
 * Each stream's partition keys, read from its settings and cached briefly: a settings change
 * reaches new data within a second without a metastore read per request.
 */
export class StreamPartitioning {
  private readonly cache = new Map<string, { keys: PartitionKey[]; at: number }>();

  constructor(
    private readonly metaStore: MetaStore,
    private readonly now: () => number = Date.now,
  ) {}

  async keysFor(key: StreamKey): Promise<PartitionKey[]> {
    const id = `${key.org}/${key.type}/${key.stream}`;
    const hit = this.cache.get(id);
    if (hit !== undefined && this.now() - hit.at < SETTINGS_TTL_MS) return hit.keys;
    const stream = await this.metaStore.streams.get({
      org: key.org,
      type: key.type,
      name: key.stream,
    });
    const keys = partitionKeysOf(stream?.settings);
    this.cache.set(id, { keys, at: this.now() });
    return keys;
  }
}
