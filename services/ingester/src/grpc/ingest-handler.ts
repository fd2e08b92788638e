import type { IngestFormat as DomainFormat, IngestResult, IngestService } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { ServiceImpl } from '@o2/grpc';
import { IngestFormat } from '@o2/proto';
import type { IngestRequest, IngestService as IngestServiceDesc } from '@o2/proto';
import { RequestIdCache } from './request-id-cache.js';
import { streamKindOf } from '@o2/proto';

type IngestAnswer = Awaited<ReturnType<ServiceImpl<typeof IngestServiceDesc>['ingest']>>;

/** Enough for minutes of ingest at thousands of requests a second; entries are small. */
const REMEMBERED_REQUESTS = 20_000;

const DOMAIN_FORMATS: Partial<Record<IngestFormat, DomainFormat>> = {
  [IngestFormat.JSON]: 'json',
  [IngestFormat.MULTI]: 'multi',
  [IngestFormat.BULK]: 'bulk',
  [IngestFormat.OTLP_LOGS]: 'otlp_logs',
  [IngestFormat.OTLP_LOGS_JSON]: 'otlp_logs_json',
  [IngestFormat.OTLP_METRICS]: 'otlp_metrics',
  [IngestFormat.OTLP_METRICS_JSON]: 'otlp_metrics_json',
  [IngestFormat.OTLP_TRACES]: 'otlp_traces',
  [IngestFormat.OTLP_TRACES_JSON]: 'otlp_traces_json',
  [IngestFormat.METRICS_JSON]: 'metrics_json',
  [IngestFormat.PROM_REMOTE_WRITE]: 'prom_remote_write',
};

function formatOf(format: IngestFormat): DomainFormat {
  if (format === IngestFormat.UNSPECIFIED)
    throw new AppError('INVALID_ARGUMENT', 'ingest format is required');
  const domain = DOMAIN_FORMATS[format];
  if (domain === undefined)
    throw new AppError('INVALID_ARGUMENT', `unknown ingest format ${String(format)}`);
  return domain;
}

/** O2's answer as the wire message. */
export function ingestResponseOf(result: IngestResult): IngestAnswer {
  if (result.bulk !== undefined) {
    const { bulk } = result;
    return {
      result: {
        case: 'bulk',
        value: {
          took: BigInt(Math.round(bulk.took)),
          errors: bulk.errors,
          items: bulk.items.map((item) => ({
            action: item.action,
            index: item.index,
            id: item.id,
            status: item.status,
            ...(item.error === undefined ? {} : { error: item.error }),
            ...(item.originalRecord === undefined
              ? {}
              : {
                  originalRecordJson: new TextEncoder().encode(JSON.stringify(item.originalRecord)),
                }),
          })),
        },
      },
    };
  }
  if (result.otlp !== undefined)
    return {
      result: {
        case: 'otlp',
        value: {
          rejected: BigInt(result.otlp.rejected),
          errorMessage: result.otlp.errorMessage,
        },
      },
    };
  if (result.response === undefined) throw new AppError('INTERNAL', 'ingest gave no answer');
  return {
    result: {
      case: 'response',
      value: {
        code: result.response.code,
        status: result.response.status.map((s) => ({
          name: s.name,
          successful: BigInt(s.successful),
          failed: BigInt(s.failed),
          ...(s.error === undefined ? {} : { error: s.error }),
        })),
      },
    },
  };
}

/**
 * `IngestService.Ingest` over the ingester: a request id already answered gets the same answer
 * again, so the router's resend after UNAVAILABLE never stores records twice.
 */
export function ingestHandler(ingester: IngestService): ServiceImpl<typeof IngestServiceDesc> {
  const answers = new RequestIdCache<IngestAnswer>(REMEMBERED_REQUESTS);
  return {
    ingest: (request: IngestRequest) => {
      if (request.requestId === '')
        return Promise.reject(new AppError('INVALID_ARGUMENT', 'request_id is required'));
      return answers.answer(request.requestId, async () => {
        const result = await ingester.ingest({
          org: request.org,
          ...(request.stream === '' ? {} : { stream: request.stream }),
          streamType: streamKindOf(request.streamType),
          format: formatOf(request.format),
          body: request.body,
          ...(request.idempotencyKey === '' ? {} : { idempotencyKey: request.idempotencyKey }),
        });
        return ingestResponseOf(result);
      });
    },
  };
}
