import { createGrpcClient } from './grpc-client.js';
import type { GrpcClient, GrpcClientOptions } from './grpc-client.js';

/** What every client of a pool shares: all of `GrpcClientOptions` but the peer address. */
export type PeerClientPoolOptions = Omit<GrpcClientOptions, 'address'>;

/**
 * One gRPC client (HTTP/2 channel) per peer address, made on first use and kept until `close`,
 * so the many calls a node makes to its peers share their connections. Peers come and go with
 * the registry; a departed peer's channel stays idle (grpc-js reconnects lazily, only when
 * called) and is closed with the rest.
 */
export class PeerClientPool {
  private readonly clients = new Map<string, GrpcClient>();
  private readonly options: PeerClientPoolOptions;

  /** Takes the client settings out of `options`, which may be a caller's wider options. */
  constructor(options: PeerClientPoolOptions) {
    const { token, logger, defaultTimeoutMs, retry, maxMessageBytes, channelOptions } = options;
    this.options = { token, logger, defaultTimeoutMs, retry, maxMessageBytes, channelOptions };
  }

  /** The client of `address` (`host:port`), created on first use. */
  client(address: string): GrpcClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createGrpcClient({ ...this.options, address });
      this.clients.set(address, client);
    }
    return client;
  }

  /** Addresses with an open client. */
  get addresses(): string[] {
    return [...this.clients.keys()];
  }

  /**
   * Closes every client: their calls in flight fail and later calls on them fail. The pool
   * stays usable — a later `client()` opens a fresh channel — as a stopping node may still
   * finish a request it had accepted.
   */
  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
