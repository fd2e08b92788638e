import type { HotStreamStats, IngesterControl } from '@o2/domain';
import type { MetaStore, StreamRecord, StreamRef, StreamType } from '@o2/metastore';
import { streamStats } from './stream-view.js';
import type { StreamSummary } from './stream-view.js';

export interface StreamCatalogDeps {
  metaStore: MetaStore;
  ingester?: IngesterControl;
  now: () => number;
}

export const streamKey = (type: string, name: string): string => `${type}/${name}`;

/** What this node's ingester still holds for `org`, by `type/name`. */
export async function hotStatsByStream(
  ingester: IngesterControl | undefined,
  org: string,
): Promise<Map<string, HotStreamStats>> {
  const list = ingester === undefined ? [] : await ingester.hotStats(org);
  return new Map(list.map((s) => [streamKey(s.type, s.stream), s]));
}

export async function summarizeStream(
  deps: StreamCatalogDeps,
  ref: StreamRef,
  record: StreamRecord | undefined,
  hot: HotStreamStats | undefined,
): Promise<StreamSummary> {
  return {
    ref,
    record,
    stats: await streamStats(deps.metaStore.fileList, ref, record, hot, deps.now()),
  };
}

/**
 * Every stream of `org` (of `type`, or all types) with its stats: the ones with a metastore row
 * and the ones only the ingester holds records for yet, less those being deleted. `keep` filters
 * before stats are read, so a keyword search does not pay for the streams it drops. Unsorted.
 */
export async function listStreamSummaries(
  deps: StreamCatalogDeps,
  org: string,
  options: { type?: StreamType; keep?: (ref: StreamRef) => boolean } = {},
): Promise<StreamSummary[]> {
  const { type, keep } = options;
  const records = await deps.metaStore.streams.list(org, type);
  const hot = await hotStatsByStream(deps.ingester, org);
  const byKey = new Map<string, { ref: StreamRef; record?: StreamRecord }>();
  for (const record of records)
    byKey.set(streamKey(record.type, record.name), { ref: record, record });
  // Records still only in the ingester count as a stream before any row or file exists.
  for (const [key, h] of hot) {
    if (h.records > 0 && !byKey.has(key) && (type === undefined || type === h.type))
      byKey.set(key, { ref: { org, type: h.type, name: h.stream } });
  }
  // A stream with a pending deletion is gone for the API until the compactor has finished.
  for (const deletion of await deps.metaStore.streamDeletions.list(org))
    byKey.delete(streamKey(deletion.type, deletion.name));
  const kept = [...byKey.entries()].filter(([, s]) => keep === undefined || keep(s.ref));
  return Promise.all(kept.map(([key, s]) => summarizeStream(deps, s.ref, s.record, hot.get(key))));
}
