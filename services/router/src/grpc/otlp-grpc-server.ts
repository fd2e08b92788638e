import type { Config } from '@o2/config';
import type { IngestService, StreamKind } from '@o2/domain';
import { otlpFormatOf } from '@o2/domain';
import { AppError } from '@o2/errors';
import { createGrpcServer } from '@o2/grpc';
import type { CallContext, GrpcServer } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import { LogsService, MetricsService, TraceService } from '@o2/proto';
import { authenticateBasic } from '../auth/authenticate.js';
import { enterOrg } from '../auth/org-access.js';
import { createPasswordChecker } from '../auth/password-checker.js';

const DEFAULT_ORG = 'default';
const DEFAULT_STREAM = 'default';

export interface OtlpGrpcServerDeps {
  config: Config;
  logger: Logger;
  metaStore: MetaStore;
  ingest: IngestService;
  now?: () => number;
  /** Told of every finished call, for `zo_grpc_calls_total`. */
  onCall?: (method: string, code: string) => void;
}

/**
 * OTLP/gRPC on ZO_GRPC_PORT: the collector's `Export` of logs, metrics and traces, with O2's
 * metadata: `organization` (ZO_GRPC_ORG_HEADER_KEY), `stream-name` (ZO_GRPC_STREAM_HEADER_KEY)
 * and `authorization` (Basic: password, or the org's passcode). Wrong or missing credentials are UNAUTHENTICATED, an org the caller may not enter
 * PERMISSION_DENIED, a malformed request INVALID_ARGUMENT — the HTTP route's rules, as gRPC
 * statuses. The internal token does not apply: these are public services.
 */
export function createOtlpGrpcServer(deps: OtlpGrpcServerDeps): GrpcServer {
  const { config, metaStore, ingest } = deps;
  const authDeps = { metaStore, passwords: createPasswordChecker(), now: deps.now ?? Date.now };
  // gRPC metadata keys are lower case.
  const orgHeader = config.ZO_GRPC_ORG_HEADER_KEY.toLowerCase();
  const streamHeader = config.ZO_GRPC_STREAM_HEADER_KEY.toLowerCase();
  const server = createGrpcServer({
    port: config.ZO_GRPC_PORT,
    ...(config.ZO_GRPC_ADDR === '' ? {} : { host: config.ZO_GRPC_ADDR }),
    token: '',
    logger: deps.logger.child({ module: 'otlp-grpc' }),
    // The HTTP routes' body limit: grpc-js refuses a bigger message with RESOURCE_EXHAUSTED.
    maxMessageBytes: config.ZO_PAYLOAD_LIMIT,
    ...(deps.onCall === undefined ? {} : { onCall: deps.onCall }),
  });

  const exportOf = (signal: StreamKind) => async (request: Uint8Array, context: CallContext) => {
    const org = context.header(orgHeader)?.trim() || DEFAULT_ORG;
    const caller = await authenticateBasic(authDeps, context.header('authorization'), {
      method: 'POST',
      path: `/${org}/v1/${signal}`,
    });
    if (caller === undefined) throw AppError.unauthenticated();
    await enterOrg(metaStore, caller, org);
    const stream = context.header(streamHeader)?.trim() || DEFAULT_STREAM;
    // The ingester keeps bodies raw (the WAL stores them) and decodes them itself: the message
    // is passed on as it arrived, never decoded here (addRaw), which was a third of the CPU
    // of a trace export (decode, then encode again).
    const result = await ingest.ingest({
      org,
      ...(signal === 'metrics' ? {} : { stream }),
      streamType: signal,
      format: otlpFormatOf(signal, 'protobuf'),
      body: request,
    });
    return result.otlp ?? { rejected: 0, errorMessage: '' };
  };
  const logs = exportOf('logs');
  const metrics = exportOf('metrics');
  const traces = exportOf('traces');

  // Each answer is the signal's Export*ServiceResponse, `partial_success` set on rejections.
  server.addRaw(LogsService, {
    export: async (request, context) => {
      const { rejected, errorMessage } = await logs(request, context);
      return rejected > 0 || errorMessage !== ''
        ? { partialSuccess: { rejectedLogRecords: BigInt(rejected), errorMessage } }
        : {};
    },
  });
  server.addRaw(MetricsService, {
    export: async (request, context) => {
      const { rejected, errorMessage } = await metrics(request, context);
      return rejected > 0 || errorMessage !== ''
        ? { partialSuccess: { rejectedDataPoints: BigInt(rejected), errorMessage } }
        : {};
    },
  });
  server.addRaw(TraceService, {
    export: async (request, context) => {
      const { rejected, errorMessage } = await traces(request, context);
      return rejected > 0 || errorMessage !== ''
        ? { partialSuccess: { rejectedSpans: BigInt(rejected), errorMessage } }
        : {};
    },
  });
  return server;
}
