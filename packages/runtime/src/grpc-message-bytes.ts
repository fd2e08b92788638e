import type { Config } from '@o2/config';

const MB = 1024 * 1024;

/**
 * The gRPC message limit between nodes: ZO_GRPC_MAX_MESSAGE_SIZE, raised past ZO_PAYLOAD_LIMIT
 * because an ingest body travels router → ingester whole and the router already accepted it.
 */
export function grpcMessageBytes(config: Config): number {
  return Math.max(config.ZO_GRPC_MAX_MESSAGE_SIZE * MB, config.ZO_PAYLOAD_LIMIT + MB);
}
