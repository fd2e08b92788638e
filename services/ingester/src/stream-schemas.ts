import type { Cluster } from '@o2/cluster';
import { SCHEMA_CHANGED_TOPIC, publishEvent, subscribeEvent } from '@o2/domain';
import type { EventLogger } from '@o2/domain';
import { AppError, isAppError } from '@o2/errors';
import type { MetaStore, StreamRef } from '@o2/metastore';
import { METRIC_COLUMN_TYPES } from '@o2/metrics';
import { SPAN_COLUMN_TYPES } from '@o2/otlp';
import { evolveSchema, fitsSchema } from '@o2/schema';
import type { FieldType, FlatRecord, Schema } from '@o2/schema';
import type { StreamKey } from './memtable/memtables.js';

interface Cached {
  version: number;
  schema: Schema;
}

const MAX_CONFLICT_RETRIES = 8;

export interface PreparedSchema {
  schema: Schema;
  /** Every record already fits `schema` as it is: conforming them would change nothing. */
  conformed: boolean;
}

/** Columns whose type a stream type fixes (metric `value` Float64, span times UInt64). */
const PINNED_TYPES: Partial<Record<StreamKey['type'], ReadonlyMap<string, FieldType>>> = {
  metrics: METRIC_COLUMN_TYPES,
  traces: SPAN_COLUMN_TYPES,
};

function refOf(key: StreamKey): StreamRef {
  return { org: key.org, type: key.type, name: key.stream };
}

function idOf(key: StreamKey): string {
  return `${key.org}/${key.type}/${key.stream}`;
}

/**
 * Stream schemas as the ingester uses them: cached, evolved (new fields appended, types only
 * widened) before a batch is written, and stored as a new version in the metastore. Changes
 * are serialised per stream in this process; across processes the metastore's versioned put
 * (compare-and-set on the version) is the lock, so two ingesters can't both evolve from the
 * same version — the loser reloads and evolves again.
 */
export class StreamSchemas {
  private readonly cache = new Map<string, Cached>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly knownStreams = new Set<string>();

  constructor(
    private readonly metaStore: MetaStore,
    private readonly cluster: Cluster,
    private readonly nowMicros: () => number,
    private readonly logger: EventLogger,
  ) {}

  /** Listens for other nodes' changes so this cache never lags behind a newer version. */
  async watch(): Promise<{ unsubscribe(): Promise<void> }> {
    return subscribeEvent(
      this.cluster.events,
      SCHEMA_CHANGED_TOPIC,
      (payload) => {
        const cached = this.cache.get(payload.stream);
        if (cached === undefined || cached.version < (payload.version ?? Infinity))
          this.cache.delete(payload.stream);
        // No version: the schema may be gone with its stream row (a finished stream deletion),
        // so the next schema change ensures the row again.
        if (payload.version === undefined) this.knownStreams.delete(payload.stream);
      },
      { logger: this.logger },
    );
  }

  /** The current schema (empty when the stream has none yet). */
  async current(key: StreamKey): Promise<Schema> {
    return (await this.load(key)).schema;
  }

  /**
   * Evolves the stored schema to hold `records` and returns the schema to conform them to;
   * `conformed` when every value already has its column's type (conforming would change
   * nothing, so the caller skips it: one pass over the batch instead of two).
   */
  async prepare(key: StreamKey, records: readonly FlatRecord[]): Promise<PreparedSchema> {
    const cached = await this.load(key);
    const pinned = PINNED_TYPES[key.type];
    if (fitsSchema(records, cached.schema, pinned))
      return { schema: cached.schema, conformed: true };
    return { schema: await this.evolve(key, records, cached, pinned), conformed: false };
  }

  private async evolve(
    key: StreamKey,
    records: readonly FlatRecord[],
    cached: Cached,
    pinned: ReadonlyMap<string, FieldType> | undefined,
  ): Promise<Schema> {
    const id = idOf(key);
    if (!evolveSchema(cached.schema, records, pinned).changed) return cached.schema;
    return this.serialised(id, async () => {
      for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
        const current = await this.load(key);
        const evolution = evolveSchema(current.schema, records, pinned);
        if (!evolution.changed) return current.schema;
        await this.ensureStream(key);
        try {
          const stored = await this.metaStore.schemas.put(
            refOf(key),
            current.version,
            this.nowMicros(),
            [...evolution.schema],
          );
          this.cache.set(id, { version: stored.version, schema: evolution.schema });
          await publishEvent(this.cluster.events, SCHEMA_CHANGED_TOPIC, {
            stream: id,
            version: stored.version,
          });
          return evolution.schema;
        } catch (error) {
          if (!isAppError(error) || error.code !== 'CONFLICT') throw error;
          this.cache.delete(id); // another writer won: reload and evolve from its version
        }
      }
      throw new AppError('UNAVAILABLE', `schema of ${id} is changing too fast; retry`, {
        retryAfterSeconds: 1,
      });
    });
  }

  /** Forgets a stream (after it is deleted). */
  forget(key: StreamKey): void {
    this.cache.delete(idOf(key));
    this.knownStreams.delete(idOf(key));
  }

  private async ensureStream(key: StreamKey): Promise<void> {
    const id = idOf(key);
    if (this.knownStreams.has(id)) return;
    await this.metaStore.streams.ensure(refOf(key));
    this.knownStreams.add(id);
  }

  private async load(key: StreamKey): Promise<Cached> {
    const id = idOf(key);
    const hit = this.cache.get(id);
    if (hit !== undefined) return hit;
    const latest = await this.metaStore.schemas.latest(refOf(key));
    const loaded: Cached =
      latest === undefined
        ? { version: 0, schema: [] }
        : {
            version: latest.version,
            schema: latest.fields.map((f) => ({ name: f.name, type: f.type as FieldType })),
          };
    this.cache.set(id, loaded);
    return loaded;
  }

  private async serialised<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    this.locks.set(id, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    }
  }
}
