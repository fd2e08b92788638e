import { create, toBinary } from '@bufbuild/protobuf';
import {
  ExportLogsServiceResponseSchema,
  ExportMetricsServiceResponseSchema,
  ExportTraceServiceResponseSchema,
} from '@o2/proto';
import type { OtlpEncoding, OtlpSignal } from './otlp-encoding.js';

/** What an export's answer says: how many items were rejected and why (the last reason). */
export interface OtlpExportOutcome {
  rejected: number;
  errorMessage: string;
}

const REJECTED_FIELD = {
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
  traces: 'rejectedSpans',
} as const;

/** The binary Export*ServiceResponse of a signal; `partial_success` set when there is news. */
function exportResponseBytes(signal: OtlpSignal, outcome: OtlpExportOutcome): Uint8Array {
  const rejected = BigInt(outcome.rejected);
  const { errorMessage } = outcome;
  const partial = outcome.rejected > 0 || errorMessage !== '';
  switch (signal) {
    case 'logs':
      return toBinary(
        ExportLogsServiceResponseSchema,
        create(
          ExportLogsServiceResponseSchema,
          partial ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage } } : {},
        ),
      );
    case 'metrics':
      return toBinary(
        ExportMetricsServiceResponseSchema,
        create(
          ExportMetricsServiceResponseSchema,
          partial ? { partialSuccess: { rejectedDataPoints: rejected, errorMessage } } : {},
        ),
      );
    case 'traces':
      return toBinary(
        ExportTraceServiceResponseSchema,
        create(
          ExportTraceServiceResponseSchema,
          partial ? { partialSuccess: { rejectedSpans: rejected, errorMessage } } : {},
        ),
      );
  }
}

/**
 * The OTLP/HTTP answer: the Export*ServiceResponse in the request's encoding. Full success is
 * 200 with an empty message (`{}` in JSON); when anything was rejected the body carries
 * `partialSuccess` and the status is 206, as O2 answers traces (O2-CONTRACT §9.1).
 */
export function otlpExportResponse(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  outcome: OtlpExportOutcome,
): { status: number; contentType: string; body: Uint8Array | string } {
  const status = outcome.rejected > 0 ? 206 : 200;
  if (encoding === 'json') {
    const body =
      outcome.rejected > 0
        ? {
            partialSuccess: {
              [REJECTED_FIELD[signal]]: outcome.rejected,
              errorMessage: outcome.errorMessage,
            },
          }
        : {};
    return { status, contentType: 'application/json', body: JSON.stringify(body) };
  }
  return {
    status,
    contentType: 'application/x-protobuf',
    body: exportResponseBytes(signal, outcome),
  };
}
