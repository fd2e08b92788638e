import { create } from '@bufbuild/protobuf';
import type { DescMethod, DescService, Message, MessageInitShape } from '@bufbuild/protobuf';
import { Client, Metadata, credentials, status as Status } from '@grpc/grpc-js';
import type { ChannelOptions, ServiceError } from '@grpc/grpc-js';
import { AppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import { bearer } from './auth-token.js';
import { fromGrpcStatus } from './grpc-error.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './grpc-server.js';
import { DEFAULT_RETRY_POLICY, isIdempotent, retryDelayMs } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import { methodDefinition } from './service-definition.js';
import type { CallOptions, ServiceClient } from './service-types.js';

export interface GrpcClientOptions {
  /** `host:port` of the peer. */
  address: string;
  /** ZO_INTERNAL_GRPC_TOKEN; sent as `authorization: Bearer <token>` when non-empty. */
  token?: string;
  logger?: Logger;
  /** Deadline of a call that names none. */
  defaultTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  maxMessageBytes?: number;
  /** Extra grpc-js channel options (keepalive, …). */
  channelOptions?: ChannelOptions;
}

/** One connection (HTTP/2 channel) to a peer, shared by the stubs of every service it serves. */
export interface GrpcClient {
  readonly address: string;
  service<S extends DescService>(service: S): ServiceClient<S>;
  /** Closes the channel; calls made afterwards fail. */
  close(): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The caller's own cancellation, as an AppError (a timeout signal counts as a deadline). */
function cancelled(signal: AbortSignal): AppError {
  const reason: unknown = signal.reason;
  if (reason instanceof AppError) return reason;
  if (reason instanceof DOMException && reason.name === 'TimeoutError')
    return new AppError('DEADLINE_EXCEEDED', 'deadline exceeded', { cause: reason });
  return new AppError('INTERNAL', 'call cancelled by the caller', { cause: reason });
}

/**
 * A client for the internal services. Every call has a deadline (per call or the default) that
 * bounds the whole call, retries included. Only idempotent RPCs (as the proto declares, or as
 * the call says) are retried, only after UNAVAILABLE, with bounded jittered backoff; a server
 * stream is retried only until its first message arrived, since repeating it later would repeat
 * rows. Failures surface as AppError with the code the server threw.
 */
export function createGrpcClient(options: GrpcClientOptions): GrpcClient {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const token = options.token ?? '';
  const logger = options.logger?.child({ module: 'grpc-client', peer: options.address });
  const client = new Client(options.address, credentials.createInsecure(), {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    ...options.channelOptions,
  });

  const metadataFor = (call: CallOptions): Metadata => {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(call.metadata ?? {})) metadata.set(key, value);
    if (token !== '') metadata.set('authorization', bearer(token));
    return metadata;
  };

  /** The error to throw for a failed attempt, or the delay before the next one. */
  const afterFailure = async (
    method: DescMethod,
    error: unknown,
    attempt: number,
    retryable: boolean,
    deadline: number,
    call: CallOptions,
  ): Promise<AppError | undefined> => {
    if (call.signal?.aborted) return cancelled(call.signal);
    const status = error as Partial<ServiceError>;
    const appError = fromGrpcStatus(
      typeof status.code === 'number' ? status : { code: Status.UNKNOWN, details: String(error) },
      error,
    );
    const delay = retryDelayMs(appError, attempt, retryable, policy);
    if (delay === undefined || Date.now() + delay >= deadline) return appError;
    logger?.debug(
      { method: method.name, attempt, delayMs: Math.round(delay), message: appError.message },
      'retrying grpc call after UNAVAILABLE',
    );
    await sleep(delay, call.signal);
    return call.signal?.aborted ? cancelled(call.signal) : undefined;
  };

  const unary = (method: DescMethod) => {
    const definition = methodDefinition(method);
    return async (request: MessageInitShape<DescMethod['input']>, call: CallOptions = {}) => {
      const deadline = Date.now() + (call.timeoutMs ?? defaultTimeoutMs);
      const retryable = call.idempotent ?? isIdempotent(method);
      const message = create(method.input, request);
      const metadata = metadataFor(call);
      for (let attempt = 1; ; attempt++) {
        if (call.signal?.aborted) throw cancelled(call.signal);
        try {
          return await new Promise<Message>((resolve, reject) => {
            const pending = client.makeUnaryRequest(
              definition.path,
              definition.requestSerialize,
              definition.responseDeserialize,
              message,
              metadata,
              { deadline: new Date(deadline) },
              (error, response) => {
                call.signal?.removeEventListener('abort', onAbort);
                if (error !== null || response === undefined) reject(error ?? new Error('empty'));
                else resolve(response);
              },
            );
            const onAbort = (): void => pending.cancel();
            call.signal?.addEventListener('abort', onAbort, { once: true });
          });
        } catch (error) {
          const failure = await afterFailure(method, error, attempt, retryable, deadline, call);
          if (failure !== undefined) throw failure;
        }
      }
    };
  };

  const serverStreaming = (method: DescMethod) => {
    const definition = methodDefinition(method);
    return async function* (
      request: MessageInitShape<DescMethod['input']>,
      call: CallOptions = {},
    ): AsyncGenerator<Message> {
      const deadline = Date.now() + (call.timeoutMs ?? defaultTimeoutMs);
      const idempotent = call.idempotent ?? isIdempotent(method);
      const message = create(method.input, request);
      const metadata = metadataFor(call);
      for (let attempt = 1; ; attempt++) {
        if (call.signal?.aborted) throw cancelled(call.signal);
        const stream = client.makeServerStreamRequest(
          definition.path,
          definition.requestSerialize,
          definition.responseDeserialize,
          message,
          metadata,
          { deadline: new Date(deadline) },
        );
        const onAbort = (): void => stream.cancel();
        call.signal?.addEventListener('abort', onAbort, { once: true });
        let received = 0;
        try {
          for await (const response of stream as AsyncIterable<Message>) {
            received++;
            yield response;
          }
          return;
        } catch (error) {
          const retryable = idempotent && received === 0;
          const failure = await afterFailure(method, error, attempt, retryable, deadline, call);
          if (failure !== undefined) throw failure;
        } finally {
          call.signal?.removeEventListener('abort', onAbort);
          // The consumer may stop early (break): tell the server instead of leaving it writing.
          stream.cancel();
        }
      }
    };
  };

  return {
    address: options.address,

    service<S extends DescService>(service: S): ServiceClient<S> {
      const stub: Record<string, unknown> = {};
      for (const method of service.methods) {
        if (method.methodKind === 'unary') stub[method.localName] = unary(method);
        else if (method.methodKind === 'server_streaming')
          stub[method.localName] = serverStreaming(method);
      }
      return stub as ServiceClient<S>;
    },

    close() {
      client.close();
    },
  };
}
