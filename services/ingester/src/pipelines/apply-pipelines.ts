import type { StreamKind } from '@o2/domain';
import { TIMESTAMP_COLUMN, normalizeFlatRecord } from '@o2/schema';
import type { DecodedRequest, DocOutcome, PipelineSettings } from '../ingest-pipeline.js';
import { streamNameOf } from '../ingest-pipeline.js';
import type { RunnablePipeline } from './realtime-pipelines.js';

export interface PipelineStats {
  /** Function calls that failed (their records went on unchanged, as in O2). */
  functionErrors: number;
  lastFunctionError?: string;
}

function fail(decoded: DecodedRequest, docIndex: number, error: string): void {
  const outcome = decoded.outcomes[docIndex] as DocOutcome;
  outcome.error ??= error;
}

/**
 * Runs each diverted stream's documents through its realtime pipeline and adds what reaches the
 * destination streams to the request's batches, normalised like any record (the destination's
 * name rules, `_timestamp`, the window, the column cap). A document fails (200 with `failed`,
 * never a 5xx) when its destination name or a record it became is invalid; a function error
 * only counts (the record goes on unchanged). A document a condition filtered out is a success
 * that stores nothing, as in O2.
 */
export function applyPipelines(
  decoded: DecodedRequest,
  org: string,
  type: StreamKind,
  pipelines: ReadonlyMap<string, RunnablePipeline>,
  settings: PipelineSettings,
): PipelineStats {
  const stats: PipelineStats = { functionErrors: 0 };
  const base = decoded.normalize;
  if (decoded.diverted === undefined || base === undefined) return stats;
  for (const [source, docs] of decoded.diverted) {
    const runnable = pipelines.get(`${type}/${source}`);
    if (runnable === undefined) continue;
    let out;
    try {
      out = runnable.pipeline.run(docs.values, runnable.runner);
    } catch (error) {
      for (const i of docs.docIndexes)
        fail(decoded, i, `pipeline error: ${(error as Error).message}`);
      continue;
    }
    stats.functionErrors += out.functionErrors;
    if (out.lastFunctionError !== undefined) stats.lastFunctionError = out.lastFunctionError;
    for (const [index, error] of out.failed) fail(decoded, docs.docIndexes[index] as number, error);
    for (const dest of out.destinations.values()) {
      let stream: string;
      try {
        stream = streamNameOf(dest.stream, settings);
      } catch (error) {
        for (const i of dest.indexes)
          fail(decoded, docs.docIndexes[i] as number, (error as Error).message);
        continue;
      }
      if (settings.blockedStreams.has(`${org}/${type}/${stream}`)) continue;
      const options = { ...base, streamName: stream };
      let batch = decoded.batches.get(stream);
      if (batch === undefined) {
        batch = { key: { org, type, stream }, records: [], ts: [], docIndexes: [] };
        decoded.batches.set(stream, batch);
      }
      for (let j = 0; j < dest.records.length; j++) {
        const record = dest.records[j] as (typeof dest.records)[number];
        const docIndex = docs.docIndexes[dest.indexes[j] as number] as number;
        const error = normalizeFlatRecord(record, options);
        if (error !== undefined) {
          fail(decoded, docIndex, error);
          continue;
        }
        batch.records.push(record);
        batch.ts.push(record[TIMESTAMP_COLUMN] as number);
        batch.docIndexes.push(docIndex);
      }
    }
  }
  return stats;
}
