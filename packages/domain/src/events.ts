import { z } from 'zod';
import { fileEntrySchema } from './file-entry.js';
import { isDataFileKey } from './object-keys.js';
import { STREAM_TYPES } from './stream-types.js';

/**
 * The cluster's event topics and what each carries. Events cross processes as JSON, so a
 * subscriber cannot trust the type system: `subscribeEvent` checks every payload against the
 * topic's schema and logs and skips one that does not match, instead of failing on a field
 * that is not there. Publishers are typed by the same schema.
 */

/** Published by the ingester when a file is registered in file_list. */
export const FILE_ADDED_TOPIC = 'file.added';
/** Published by the ingester when a stream's schema gets a new version. */
export const SCHEMA_CHANGED_TOPIC = 'schema.changed';
/**
 * Published by the router after it records a stream deletion in the metastore, to wake the
 * compactor leader; the metastore record is the durable request, the event only saves waiting.
 */
export const STREAM_DELETION_REQUESTED_TOPIC = 'stream.deletion_requested';
/**
 * Published by the router after a pipeline (or a function a pipeline may call) of an org is
 * saved, enabled, disabled or deleted: ingesters reload that org's realtime pipelines. They also
 * reload on a short timer, so a lost event only delays the change.
 */
export const PIPELINE_CHANGED_TOPIC = 'pipeline.changed';
/** Published by the router after it records a delete-by-time-range job; wakes the compactor. */
export const DATA_DELETION_REQUESTED_TOPIC = 'data.deletion_requested';

// The data file's object key (`files/…`) and its file_list row; subscribers need only the key,
// so the row's fields are checked when present and not required.
const fileAdded = z.looseObject({
  ...fileEntrySchema.partial().shape,
  key: z.string().refine(isDataFileKey, 'not a files/ key'),
});

const schemaChanged = z.object({
  /** `{org}/{type}/{stream}`. */
  stream: z.string(),
  /** The new version; absent means "reload whatever is cached". */
  version: z.number().optional(),
});

const streamDeletionRequested = z.object({
  org: z.string(),
  type: z.enum(STREAM_TYPES),
  stream: z.string(),
});

const pipelineChanged = z.object({ org: z.string() });

export const EVENT_SCHEMAS = {
  [PIPELINE_CHANGED_TOPIC]: pipelineChanged,
  [FILE_ADDED_TOPIC]: fileAdded,
  [SCHEMA_CHANGED_TOPIC]: schemaChanged,
  [STREAM_DELETION_REQUESTED_TOPIC]: streamDeletionRequested,
  [DATA_DELETION_REQUESTED_TOPIC]: streamDeletionRequested,
} as const;

export type EventTopic = keyof typeof EVENT_SCHEMAS;
export type EventPayload<T extends EventTopic> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/** The part of the cluster's event bus the helpers need (`@o2/cluster`'s `Events` fits). */
export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe(
    topic: string,
    handler: (event: { payload: unknown }) => void | Promise<void>,
    options?: { durable?: string },
  ): Promise<{ unsubscribe(): Promise<void> }>;
}

/** Where a skipped payload is reported (a pino logger fits). */
export interface EventLogger {
  warn(fields: object, message: string): void;
}

/** Publishes `payload` on `topic`, typed by the topic's schema. */
export function publishEvent<T extends EventTopic>(
  bus: EventBus,
  topic: T,
  payload: EventPayload<T>,
): Promise<void> {
  return bus.publish(topic, payload);
}

/**
 * Subscribes `handler` to `topic` with payloads checked against its schema; a payload that does
 * not match is logged and skipped (acknowledged, so a durable consumer does not redeliver it).
 */
export function subscribeEvent<T extends EventTopic>(
  bus: EventBus,
  topic: T,
  handler: (payload: EventPayload<T>) => void | Promise<void>,
  options: { logger: EventLogger; durable?: string },
): Promise<{ unsubscribe(): Promise<void> }> {
  // TypeScript cannot relate a generic key's schema to its payload type; the map pairs them.
  const schema = EVENT_SCHEMAS[topic] as unknown as z.ZodType<EventPayload<T>>;
  return bus.subscribe(
    topic,
    (event) => {
      const parsed = schema.safeParse(event.payload);
      if (parsed.success) return handler(parsed.data);
      options.logger.warn(
        { topic, payload: event.payload, problem: z.prettifyError(parsed.error) },
        `ignoring a malformed ${topic} event`,
      );
      return undefined;
    },
    options.durable === undefined ? undefined : { durable: options.durable },
  );
}
