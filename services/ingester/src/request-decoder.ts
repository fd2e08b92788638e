import { TIMESTAMP_COLUMN, normalizeFlatRecord, normalizeRecord } from '@o2/schema';
import type { FlatRecord, NormalizeOptions } from '@o2/schema';
import type { BodyScan, RawDocument } from './decode/decode-body.js';
import type {
  DecodedRequest,
  DivertedDocs,
  DocOutcome,
  PipelineSettings,
  StreamBatch,
} from './ingest-pipeline.js';
import type { StreamKey } from './memtable/memtables.js';

/**
 * Turns a request's documents, fed one at a time in request order (`add`), into per-stream
 * batches of normalised records and each document's outcome. One document at a time so the
 * write path can feed a large body in slices and let the event loop run between them
 * (decode-sliced.ts), with the same result as feeding it in one go.
 */
export class RequestDecoder {
  private readonly batches = new Map<string, StreamBatch>();
  private readonly outcomes: DocOutcome[] = [];
  private diverted: Map<string, DivertedDocs> | undefined;
  // Documents of one stream come in runs (a remote-write request is sorted by metric): the
  // name is checked once per run, not once per sample.
  private lastRaw: string | undefined;
  private lastStream = '';
  // Per-stream state, refreshed when the stream changes.
  private current: string | undefined;
  private options: NormalizeOptions;
  private blocked = false;
  private batch: StreamBatch | undefined;

  constructor(
    private readonly request: { org: string; streamType: StreamKey['type'] },
    /** The request's stream from its path; undefined: each document names its own (bulk). */
    private readonly pathStream: string | undefined,
    private readonly base: Omit<NormalizeOptions, 'streamName'>,
    private readonly settings: PipelineSettings,
    private readonly streamNameOf: (raw: string) => string,
    private readonly skip: ReadonlySet<number>,
    private readonly divert: ReadonlySet<string> | undefined,
    /** Filled as the request's documents are iterated; read by `result`. */
    private readonly scan: BodyScan,
  ) {
    this.options = { ...base, streamName: '' };
  }

  /** The `i`th document of the request (documents must come in order, each once). */
  add(doc: RawDocument, i: number): void {
    const { outcomes } = this;
    let stream = this.pathStream ?? '';
    if (this.pathStream === undefined) {
      const raw = doc.stream ?? '';
      if (raw === this.lastRaw) stream = this.lastStream;
      else
        try {
          stream = this.streamNameOf(raw);
          this.lastRaw = raw;
          this.lastStream = stream;
        } catch (error) {
          outcomes.push({ stream: raw, doc, error: (error as Error).message });
          return;
        }
    }
    if (doc.error !== undefined) {
      outcomes.push({ stream, doc, error: doc.error });
      return;
    }
    if (this.skip.has(i)) {
      outcomes.push({ stream, doc, error: 'skipped on replay' });
      return;
    }
    if (this.current !== stream) {
      this.current = stream;
      this.options = { ...this.base, streamName: stream };
      const { org, streamType } = this.request;
      this.blocked = this.settings.blockedStreams.has(`${org}/${streamType}/${stream}`);
      this.batch = this.batches.get(stream);
    }
    if (this.blocked) {
      outcomes.push({ stream, doc, blocked: true });
      return;
    }
    if (this.divert?.has(stream) === true) {
      outcomes.push({ stream, doc });
      this.diverted ??= new Map();
      let docs = this.diverted.get(stream);
      if (docs === undefined) this.diverted.set(stream, (docs = { values: [], docIndexes: [] }));
      docs.values.push(doc.value);
      docs.docIndexes.push(outcomes.length - 1);
      return;
    }
    let record: FlatRecord;
    let ts: number;
    if (doc.flat === true) {
      record = doc.value as FlatRecord;
      const error = normalizeFlatRecord(record, this.options);
      if (error !== undefined) {
        outcomes.push({ stream, doc, error });
        return;
      }
      ts = record[TIMESTAMP_COLUMN] as number;
    } else {
      const normalized = normalizeRecord(doc.value, this.options);
      if (!normalized.ok) {
        outcomes.push({ stream, doc, error: normalized.error });
        return;
      }
      ({ record, ts } = normalized);
    }
    if (doc.id !== undefined) record['_id'] = doc.id;
    outcomes.push({ stream, doc });
    let batch = this.batch;
    if (batch === undefined) {
      const { org, streamType: type } = this.request;
      batch = { key: { org, type, stream }, records: [], ts: [], docIndexes: [] };
      this.batches.set(stream, batch);
      this.batch = batch;
    }
    batch.records.push(record);
    batch.ts.push(ts);
    batch.docIndexes.push(outcomes.length - 1);
  }

  /** What the documents fed so far decoded to. */
  result(metadata: DecodedRequest['metadata']): DecodedRequest {
    const decoded: DecodedRequest = { batches: this.batches, outcomes: this.outcomes };
    if (metadata !== undefined) decoded.metadata = metadata;
    if (this.scan.bulkDelete) decoded.bulkDelete = true;
    if (this.diverted !== undefined) {
      decoded.diverted = this.diverted;
      decoded.normalize = this.base;
    }
    return decoded;
  }
}
