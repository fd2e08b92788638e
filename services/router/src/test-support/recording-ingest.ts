import type {
  BulkItem,
  HotStreamStats,
  IngestRequest,
  IngestResult,
  IngestService,
  IngesterControl,
  QuarantinedPartition,
  StreamKind,
} from '@o2/domain';
import { AppError } from '@o2/errors';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw AppError.invalidArgument(`Invalid json: ${(error as Error).message}`);
  }
}

type ReceivedRequest = Omit<IngestRequest, 'body'> & { text: string };

/**
 * A small real IngestService for router tests: it keeps every request it receives (bodies as
 * text) and answers from the body itself (records counted per stream; a record that is not an
 * object fails; a bulk action without an index fails), so tests see what crossed the boundary.
 */
export class RecordingIngest implements IngestService {
  readonly requests: ReceivedRequest[] = [];
  /** When set, the next calls throw it (e.g. UNAVAILABLE with a retry hint). */
  failWith: AppError | undefined;

  ingest(request: IngestRequest): Promise<IngestResult> {
    const text = Buffer.from(request.body).toString('utf8');
    const { org, stream, streamType, format } = request;
    this.requests.push({ org, stream, streamType, format, text });
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    return Promise.resolve(this.answer(request, text));
  }

  get last(): ReceivedRequest | undefined {
    return this.requests.at(-1);
  }

  private answer(request: IngestRequest, text: string): IngestResult {
    if (request.format === 'bulk') return { bulk: this.bulk(text) };
    const stream = request.stream ?? '';
    if (stream === '') throw AppError.invalidArgument('Stream name is empty');
    const records =
      request.format === 'json'
        ? [parseJson(text)].flat()
        : text
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map(parseJson);
    const failed = records.filter((r) => typeof r !== 'object' || r === null).length;
    return {
      response: {
        code: 200,
        status: [
          {
            name: stream,
            successful: records.length - failed,
            failed,
            ...(failed > 0 ? { error: 'record is not an object' } : {}),
          },
        ],
      },
    };
  }

  private bulk(text: string) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const items: BulkItem[] = [];
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const actionLine = parseJson(lines[i] ?? '') as Record<string, Record<string, string>>;
      const action = Object.keys(actionLine)[0] as BulkItem['action'];
      const meta = actionLine[action] ?? {};
      const index = meta['_index'] ?? '';
      const id = meta['_id'] ?? '';
      const doc = parseJson(lines[i + 1] ?? '');
      items.push(
        index === '' || index === '_'
          ? {
              action,
              index,
              id,
              status: 422,
              error: { type: 'Mapping', reason: 'Stream name is empty' },
              originalRecord: doc,
            }
          : { action, index, id, status: 200 },
      );
    }
    return { took: 3, errors: items.some((item) => item.status !== 200), items };
  }
}

/** IngesterControl for router tests: counts flushes, serves set hot stats, records drops. */
export class RecordingIngesterControl implements IngesterControl {
  flushes = 0;
  hot: HotStreamStats[] = [];
  readonly dropped: Array<{ org: string; type: StreamKind; stream: string }> = [];
  quarantined: QuarantinedPartition[] = [];
  degraded: string[] = [];

  flush(): Promise<void> {
    this.flushes += 1;
    return Promise.resolve();
  }

  hotStats(org: string): Promise<HotStreamStats[]> {
    return Promise.resolve(this.hot.filter((s) => s.org === org));
  }

  dropStream(org: string, type: StreamKind, stream: string): Promise<void> {
    this.dropped.push({ org, type, stream });
    this.hot = this.hot.filter((s) => !(s.org === org && s.type === type && s.stream === stream));
    return Promise.resolve();
  }

  quarantine(): Promise<QuarantinedPartition[]> {
    return Promise.resolve(this.quarantined);
  }

  degradedReasons(): Promise<string[]> {
    return Promise.resolve(this.degraded);
  }
}
