import { SCHEMA_CHANGED_TOPIC, publishEvent, storedObjectKeys } from '@o2/domain';
import type { EventBus, StreamRef } from '@o2/domain';
import type { Logger } from '@o2/logger';
import type { MetaStore, StreamDeletion } from '@o2/metastore';
import type { ObjectStore } from '@o2/storage';

/** Files per object-store call: two keys each (data + `.tokens`), and S3 DeleteObjects takes 1000. */
export const DELETE_BATCH_FILES = 500;
/**
 * Requests taken per run, oldest first; the rest wait for the next run. Far above what fails at
 * once in practice, so failing requests (which stay oldest) do not crowd out the others.
 */
const REQUESTS_PER_RUN = 1000;

export interface StreamDeletionDeps {
  metaStore: MetaStore;
  objectStore: ObjectStore;
  /** Where ingesters hear that a stream's schema is gone (they drop their cached copy). */
  events: EventBus;
  logger: Logger;
}

export interface StreamDeletionRun {
  completed: number;
  failed: number;
}

/**
 * Carries out one recorded stream deletion. Every step can be repeated, so a leader that dies
 * anywhere in here leaves work the next run simply finishes:
 * 1. the stream's files registered before the request (id ≤ lastFileId) are marked deleted —
 *    at once, so queries stop reading them before any object goes;
 * 2. their objects (Parquet + token index) are deleted a batch at a time, each batch's rows
 *    purged after its objects (a repeat deletes nothing that is missing);
 * 3. the stream row and schema go unless the stream was written again after the request;
 * 4. the request is completed, unless it was renewed meanwhile (then the next run goes again).
 * Returns how many files it removed.
 */
export async function finishStreamDeletion(
  deps: StreamDeletionDeps,
  deletion: StreamDeletion,
): Promise<number> {
  const { metaStore, objectStore } = deps;
  const ref: StreamRef = { org: deletion.org, type: deletion.type, name: deletion.name };
  await metaStore.fileList.markDeletedUpTo(ref, deletion.lastFileId);
  let removed = 0;
  for (;;) {
    const batch = await metaStore.fileList.listDeletedUpTo(
      ref,
      deletion.lastFileId,
      DELETE_BATCH_FILES,
    );
    if (batch.length === 0) break;
    await objectStore.deleteMany(batch.flatMap(storedObjectKeys));
    await metaStore.fileList.purgeDeleted(batch);
    removed += batch.length;
  }
  if (await writtenAgain(metaStore, ref, deletion)) {
    deps.logger.info(
      { org: ref.org, type: ref.type, stream: ref.name },
      'stream written again after its deletion request; keeping its row and schema',
    );
  } else {
    await metaStore.streams.delete(ref);
    await publishEvent(deps.events, SCHEMA_CHANGED_TOPIC, {
      stream: `${ref.org}/${ref.type}/${ref.name}`,
    });
  }
  await metaStore.streamDeletions.complete(deletion);
  return removed;
}

/**
 * A stream ingested into after its deletion request is a new stream that uses the same row and
 * schema: files registered after the request's mark survive step 1, and a new field stores a
 * schema version dated after the request.
 */
async function writtenAgain(
  metaStore: MetaStore,
  ref: StreamRef,
  deletion: StreamDeletion,
): Promise<boolean> {
  if ((await metaStore.fileList.stats(ref)).fileNum > 0) return true;
  const versions = await metaStore.schemas.history(ref);
  return versions.some((v) => v.createdAt > deletion.requestedAt);
}

/**
 * Every pending stream deletion, oldest first, each on its own: one that fails is logged and
 * stays pending for the next run, and does not stop the others.
 */
export async function runStreamDeletions(deps: StreamDeletionDeps): Promise<StreamDeletionRun> {
  const run: StreamDeletionRun = { completed: 0, failed: 0 };
  for (const deletion of await deps.metaStore.streamDeletions.pending(REQUESTS_PER_RUN)) {
    const stream = { org: deletion.org, type: deletion.type, stream: deletion.name };
    try {
      const files = await finishStreamDeletion(deps, deletion);
      run.completed += 1;
      deps.logger.info({ ...stream, files }, 'deleted stream');
    } catch (err) {
      run.failed += 1;
      deps.logger.error({ ...stream, err }, 'stream deletion failed; retrying next run');
    }
  }
  return run;
}
