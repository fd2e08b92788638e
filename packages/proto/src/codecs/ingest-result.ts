import type { MessageInitShape } from '@bufbuild/protobuf';
import type { BulkItem, IngestResult } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { IngestResponse, IngestResponseSchema } from '../gen/o2/ingest/v1/ingest_pb.js';

/**
 * O2's answer as the wire message. `took` is whole milliseconds on the wire; an echoed bulk
 * document (arbitrary JSON) travels as its JSON text.
 */
export function encodeIngestResult(
  result: IngestResult,
): MessageInitShape<typeof IngestResponseSchema> {
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

export function decodeIngestResult(response: IngestResponse): IngestResult {
  const { result } = response;
  switch (result.case) {
    case 'response':
      return {
        response: {
          code: result.value.code,
          status: result.value.status.map((s) => ({
            name: s.name,
            successful: Number(s.successful),
            failed: Number(s.failed),
            ...(s.error === undefined ? {} : { error: s.error }),
          })),
        },
      };
    case 'bulk':
      return {
        bulk: {
          took: Number(result.value.took),
          errors: result.value.errors,
          items: result.value.items.map((item): BulkItem => ({
            // The ingester writes the action line's verb, one of BulkItem's three.
            action: item.action as BulkItem['action'],
            index: item.index,
            id: item.id,
            status: item.status,
            ...(item.error === undefined
              ? {}
              : { error: { type: item.error.type, reason: item.error.reason } }),
            ...(item.originalRecordJson === undefined
              ? {}
              : {
                  originalRecord: JSON.parse(
                    new TextDecoder().decode(item.originalRecordJson),
                  ) as unknown,
                }),
          })),
        },
      };
    case 'otlp':
      return {
        otlp: { rejected: Number(result.value.rejected), errorMessage: result.value.errorMessage },
      };
    case undefined:
      return {};
  }
}
