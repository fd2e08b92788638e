import type { MetaStore } from '@o2/metastore';
import type { PromMetadata } from '@o2/metrics';
import { PROM_METADATA_KEY } from '@o2/metrics';
import type { StreamKey } from './memtable/memtables.js';

/**
 * Writes a metric stream's `prom_metadata` into the stream's metadata in the metastore, where
 * the metadata API reads it. Remembers what it wrote, so a steady flow of samples costs one
 * metastore write per stream and process, not one per request.
 */
export class StreamMetadata {
  private readonly written = new Map<string, string>();

  constructor(private readonly metaStore: MetaStore) {}

  /**
   * `keepExisting`: metrics `_json` only describes a brand-new stream (O2 leaves an existing
   * stream's metadata alone); OTLP and remote write say what the metric is every time.
   */
  async promMetadata(key: StreamKey, meta: PromMetadata, keepExisting: boolean): Promise<void> {
    const id = `${key.org}/${key.type}/${key.stream}`;
    const text = JSON.stringify(meta);
    if (this.written.get(id) === text) return;
    await this.metaStore.streams.putMetadata(
      { org: key.org, type: key.type, name: key.stream },
      { [PROM_METADATA_KEY]: text },
      keepExisting ? 'missing' : undefined,
    );
    this.written.set(id, text);
  }

  /** Forgets a stream (after it is deleted). */
  forget(key: StreamKey): void {
    this.written.delete(`${key.org}/${key.type}/${key.stream}`);
  }
}
