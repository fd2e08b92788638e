import type { StreamRef } from '@o2/domain';
import type { Logger } from '@o2/logger';
import type { DataDeletion, MetaStore, StoredFileEntry } from '@o2/metastore';
import { hourPartition } from './merge-files.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Files marked deleted per metastore call. */
const MARK_BATCH = 1000;

export interface RetentionDeps {
  metaStore: MetaStore;
  logger: Logger;
  /** ZO_COMPACT_DATA_RETENTION_DAYS: for streams whose `data_retention` is unset or 0. */
  globalDays: number;
  now: () => number;
}

/** A stream's retention in days: its own `data_retention` when positive, else the global one. */
export function retentionDays(settings: Record<string, unknown>, globalDays: number): number {
  const own = settings['data_retention'];
  return typeof own === 'number' && Number.isInteger(own) && own > 0 ? own : globalDays;
}

/**
 * Marks deleted every live file of `ref` in a partition that `inside` accepts (queries stop
 * reading them at once; their objects go with the delayed purge). Idempotent, so a pass cut
 * short by a crash is simply repeated. Returns how many files it marked.
 */
async function deletePartitions(
  metaStore: MetaStore,
  ref: StreamRef,
  range: { startTs: number; endTs: number },
  inside: (file: StoredFileEntry) => boolean,
): Promise<number> {
  const doomed = (await metaStore.fileList.query(ref, range)).filter(inside);
  for (let i = 0; i < doomed.length; i += MARK_BATCH) {
    const batch = doomed.slice(i, i + MARK_BATCH);
    await metaStore.fileList.markDeleted(
      ref,
      batch.map((f) => ({ date: f.date, file: f.file })),
    );
  }
  return doomed.length;
}

/**
 * Retention, applied by whole day partitions as O2 does: a stream keeping N days loses every
 * partition of a day before the day that N days ago falls in (UTC). Each stream on its own; one
 * failing is logged and retried next pass. Returns how many files were deleted.
 */
export async function applyRetention(deps: RetentionDeps): Promise<number> {
  let deleted = 0;
  for (const org of await deps.metaStore.orgs.list()) {
    for (const stream of await deps.metaStore.streams.list(org.identifier)) {
      // An enrichment table is a lookup, not a time series: its rows' time is the upload's,
      // and it lives until replaced or deleted.
      if (stream.type === 'enrichment_tables') continue;
      const ref: StreamRef = { org: stream.org, type: stream.type, name: stream.name };
      const days = retentionDays(stream.settings, deps.globalDays);
      const cutoffMs = Math.floor((deps.now() - days * DAY_MS) / DAY_MS) * DAY_MS;
      const cutoff = hourPartition(cutoffMs);
      try {
        const files = await deletePartitions(
          deps.metaStore,
          ref,
          { startTs: Number.MIN_SAFE_INTEGER, endTs: cutoffMs * 1000 },
          (file) => file.date < cutoff,
        );
        if (files > 0) {
          deps.logger.info(
            { org: ref.org, type: ref.type, stream: ref.name, days, files },
            'retention deleted old partitions',
          );
        }
        deleted += files;
      } catch (err) {
        deps.logger.error(
          { org: ref.org, stream: ref.name, err },
          'retention failed; retrying next pass',
        );
      }
    }
  }
  return deleted;
}

/**
 * One delete-by-time-range job: the hour partitions wholly inside [startTs, endTs) lose their
 * files (a partition the range only cuts into keeps them; O2 deletes whole partitions too).
 * Completing the job is the last step, so a compactor killed midway leaves it pending and the
 * next leader repeats it. Returns how many files it deleted.
 */
export async function runDataDeletion(metaStore: MetaStore, job: DataDeletion): Promise<number> {
  const ref: StreamRef = { org: job.org, type: job.type, name: job.name };
  const startMs = job.startTs / 1000;
  const endMs = job.endTs / 1000;
  const files = await deletePartitions(
    metaStore,
    ref,
    { startTs: job.startTs, endTs: job.endTs },
    (file) => {
      const hourStart = Date.parse(
        `${file.date.replaceAll('/', '-').replace(/-(\d\d)$/, 'T$1')}:00:00Z`,
      );
      return hourStart >= startMs && hourStart + HOUR_MS <= endMs;
    },
  );
  await metaStore.dataDeletions.complete(job.id, files);
  return files;
}
