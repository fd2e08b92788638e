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

/** The Export*ServiceResponse message of a signal, for the gRPC service. */
export function exportResponseMessage(signal: OtlpSignal, outcome: OtlpExportOutcome) {
  const partial =
    outcome.rejected > 0 || outcome.errorMessage !== ''
      ? { errorMessage: outcome.errorMessage, rejected: BigInt(outcome.rejected) }
      : undefined;
  switch (signal) {
    case 'logs':
      return {
        schema: ExportLogsServiceResponseSchema,
        message: create(ExportLogsServiceResponseSchema, {
          ...(partial && {
            partialSuccess: {
              rejectedLogRecords: partial.rejected,
              errorMessage: partial.errorMessage,
            },
          }),
        }),
      };
    case 'metrics':
      return {
        schema: ExportMetricsServiceResponseSchema,
        message: create(ExportMetricsServiceResponseSchema, {
          ...(partial && {
            partialSuccess: {
              rejectedDataPoints: partial.rejected,
              errorMessage: partial.errorMessage,
            },
          }),
        }),
      };
    case 'traces':
      return {
        schema: ExportTraceServiceResponseSchema,
        message: create(ExportTraceServiceResponseSchema, {
          ...(partial && {
            partialSuccess: { rejectedSpans: partial.rejected, errorMessage: partial.errorMessage },
          }),
        }),
      };
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
  const { schema, message } = exportResponseMessage(signal, outcome);
  // The three response schemas differ only in their partial-success field's name.
  const bytes = toBinary(schema as typeof ExportTraceServiceResponseSchema, message as never);
  return { status, contentType: 'application/x-protobuf', body: bytes };
}
