import type { StreamKind } from '@o2/domain';
import { AppError } from '@o2/errors';
import { parseTailFilter, tailFilterMatches } from './tail-filter.js';
import type { TailFilter, TailRow } from './tail-filter.js';

/** One live tail session: the stream (name as stored, i.e. already resolved) and its filter. */
export interface TailRequest {
  org: string;
  type: StreamKind;
  stream: string;
  /** The restricted WHERE subset of `parseTailFilter`; empty → every row. */
  filter: string;
}

/**
 * What a tail yields: new rows as JSON texts (one hit each, ready to splice into an answer), and
 * how many rows this subscriber lost because it read too slowly. An empty batch is a heartbeat.
 */
export interface TailBatch {
  rows: string[];
  dropped: number;
}

/** Where live tail sessions get rows: the in-process ingester's hub, or the cluster fan-in. */
export interface TailSource {
  /**
   * Yields until `signal` aborts (then returns): first an empty batch once subscribed, then new
   * rows; empty batches (heartbeats) keep a quiet session visible.
   */
  tail(request: TailRequest, signal: AbortSignal): AsyncIterable<TailBatch>;
}

export interface TailHubOptions {
  /** Rows one subscriber may hold unread; past it the oldest go and count as dropped. */
  maxBufferedRows?: number;
  /** The same cap in bytes of JSON (a few huge rows must not pin memory either). */
  maxBufferedBytes?: number;
  /** Silence after which an empty batch is yielded. */
  heartbeatMs?: number;
  /** Sessions at once; past it a new one is RESOURCE_EXHAUSTED (memory stays bounded). */
  maxSubscribers?: number;
}

interface Subscriber {
  filter: TailFilter;
  /** The stream's own full-text fields (`full_text_search_keys`), for `match_all`. */
  ftsFields: readonly string[];
  rows: string[];
  bytes: number;
  dropped: number;
  wake: (() => void) | undefined;
}

const keyOf = (org: string, type: string, stream: string) => `${org}\u0000${type}\u0000${stream}`;

/** A row as JSON: bigint (integers past 2^53) becomes a number when exact, else its digits. */
function rowJson(row: TailRow): string {
  return JSON.stringify(row, (_key, value: unknown) =>
    typeof value === 'bigint'
      ? Number.isSafeInteger(Number(value))
        ? Number(value)
        : value.toString()
      : value,
  );
}

/**
 * The ingester's fan-out of newly acknowledged rows to live tail subscribers. Memory is bounded
 * per subscriber (rows and bytes): a reader that falls behind loses its oldest rows and is told
 * how many, rather than growing the ingester's heap. With no subscriber on a stream, `publish`
 * is one map lookup, so the write path pays nothing for the feature when nobody tails.
 */
export class TailHub implements TailSource {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly heartbeatMs: number;
  private readonly maxSubscribers: number;

  constructor(options: TailHubOptions = {}) {
    this.maxRows = options.maxBufferedRows ?? 1000;
    this.maxBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.maxSubscribers = options.maxSubscribers ?? 256;
  }

  /** Live subscribers of every stream, for metrics and tests. */
  get size(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /** Offers rows just acknowledged on a stream to its subscribers (filtered, JSON once each). */
  publish(ref: { org: string; type: string; stream: string }, rows: readonly TailRow[]): void {
    const set = this.subscribers.get(keyOf(ref.org, ref.type, ref.stream));
    if (set === undefined || rows.length === 0) return;
    const json = new Map<TailRow, string>();
    for (const subscriber of set) {
      for (const row of rows) {
        if (!tailFilterMatches(subscriber.filter, row, subscriber.ftsFields)) continue;
        let text = json.get(row);
        if (text === undefined) {
          text = rowJson(row);
          json.set(row, text);
        }
        subscriber.rows.push(text);
        subscriber.bytes += text.length;
      }
      this.trim(subscriber);
      subscriber.wake?.();
    }
  }

  private trim(subscriber: Subscriber): void {
    let drop = 0;
    let bytes = subscriber.bytes;
    const { rows } = subscriber;
    // Always keep the newest row, even when it alone is over the byte cap.
    while (rows.length - drop > 1 && (rows.length - drop > this.maxRows || bytes > this.maxBytes))
      bytes -= (rows[drop++] as string).length;
    if (drop === 0) return;
    rows.splice(0, drop);
    subscriber.bytes = bytes;
    subscriber.dropped += drop;
  }

  /**
   * Subscribes (the filter is parsed first: a bad one throws before anything is held). The
   * first batch is an empty one as soon as the subscription is in place, so a caller knows from
   * when on rows are delivered (a row acknowledged after it arrives is never missed).
   * `ftsFields`: the stream's own full-text fields, which `match_all` reads besides the default
   * ones (the caller reads the stream settings once per session, not per row).
   */
  async *tail(
    request: TailRequest,
    signal: AbortSignal,
    ftsFields: readonly string[] = [],
  ): AsyncGenerator<TailBatch> {
    const subscriber: Subscriber = {
      filter: parseTailFilter(request.filter),
      ftsFields,
      rows: [],
      bytes: 0,
      dropped: 0,
      wake: undefined,
    };
    if (this.size >= this.maxSubscribers)
      throw new AppError('RESOURCE_EXHAUSTED', 'too many live tail sessions; retry later', {
        retryAfterSeconds: 5,
      });
    const key = keyOf(request.org, request.type, request.stream);
    let set = this.subscribers.get(key);
    if (set === undefined) this.subscribers.set(key, (set = new Set()));
    set.add(subscriber);
    const onAbort = () => subscriber.wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      yield { rows: [], dropped: 0 };
      while (!signal.aborted) {
        if (subscriber.rows.length === 0 && subscriber.dropped === 0) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          await new Promise<void>((resolve) => {
            subscriber.wake = resolve;
            timer = setTimeout(resolve, this.heartbeatMs);
          });
          clearTimeout(timer);
          subscriber.wake = undefined;
          if (signal.aborted) break;
        }
        const batch = { rows: subscriber.rows, dropped: subscriber.dropped };
        subscriber.rows = [];
        subscriber.bytes = 0;
        subscriber.dropped = 0;
        yield batch;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(key) === set) this.subscribers.delete(key);
    }
  }
}
