import type { DescMessage, DescService, MessageInitShape, MessageShape } from '@bufbuild/protobuf';

/** What a handler knows about the call it serves. */
export interface CallContext {
  /** Aborted when the client cancels, the deadline passes or the server is forced down. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds the client's deadline ends at; undefined when it sent none. */
  readonly deadline: number | undefined;
  /** The caller's address, for logs. */
  readonly peer: string;
  /** A request metadata value (lowercase name); undefined when absent. */
  header(name: string): string | undefined;
}

/** Per-call client settings. */
export interface CallOptions {
  /** Deadline of the whole call, retries included; the client's default when absent. */
  timeoutMs?: number;
  /** Cancels the call (the handler's signal aborts too). */
  signal?: AbortSignal;
  /**
   * Overrides the idempotency the proto declares (`idempotency_level`): only idempotent calls
   * are retried after UNAVAILABLE.
   */
  idempotent?: boolean;
  /** Extra request metadata (ASCII values). */
  metadata?: Readonly<Record<string, string>>;
}

type MethodShape = { methodKind: string; input: DescMessage; output: DescMessage };

type Handler<M> = M extends { methodKind: 'unary'; input: infer I; output: infer O }
  ? I extends DescMessage
    ? O extends DescMessage
      ? (request: MessageShape<I>, context: CallContext) => Promise<MessageInitShape<O>>
      : never
    : never
  : M extends { methodKind: 'server_streaming'; input: infer I; output: infer O }
    ? I extends DescMessage
      ? O extends DescMessage
        ? (request: MessageShape<I>, context: CallContext) => AsyncIterable<MessageInitShape<O>>
        : never
      : never
    : never;

type Stub<M> = M extends { methodKind: 'unary'; input: infer I; output: infer O }
  ? I extends DescMessage
    ? O extends DescMessage
      ? (request: MessageInitShape<I>, options?: CallOptions) => Promise<MessageShape<O>>
      : never
    : never
  : M extends { methodKind: 'server_streaming'; input: infer I; output: infer O }
    ? I extends DescMessage
      ? O extends DescMessage
        ? (request: MessageInitShape<I>, options?: CallOptions) => AsyncIterable<MessageShape<O>>
        : never
      : never
    : never;

/**
 * The server side of a generated service: one handler per RPC, keyed by the method's local name
 * (`ingest`, `hotData`). Unary handlers resolve the response; server-streaming handlers are
 * async generators. Client- and bidi-streaming RPCs are not supported (we declare none).
 */
export type ServiceImpl<S extends DescService> = {
  [K in keyof S['method']]: S['method'][K] extends MethodShape ? Handler<S['method'][K]> : never;
};

/** The client side of a generated service, with the same keys as `ServiceImpl`. */
export type ServiceClient<S extends DescService> = {
  [K in keyof S['method']]: S['method'][K] extends MethodShape ? Stub<S['method'][K]> : never;
};

type RawHandler<M> = M extends { methodKind: 'unary'; output: infer O }
  ? O extends DescMessage
    ? (request: Uint8Array, context: CallContext) => Promise<MessageInitShape<O>>
    : never
  : never;

/**
 * A unary-only service whose handlers receive each request as its undecoded wire bytes (see
 * `GrpcServer.addRaw`); they decode it themselves, or pass it on as it is.
 */
export type RawServiceImpl<S extends DescService> = {
  [K in keyof S['method']]: S['method'][K] extends MethodShape ? RawHandler<S['method'][K]> : never;
};
