import { create } from '@bufbuild/protobuf';
import type { DescMethod, DescService, Message, MessageInitShape } from '@bufbuild/protobuf';
import { Server, ServerCredentials, status as GrpcStatus } from '@grpc/grpc-js';
import type {
  Metadata,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
  sendUnaryData,
} from '@grpc/grpc-js';
import { AppError, toAppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import { Health } from '@o2/proto';
import { bearerMatches } from './auth-token.js';
import { toGrpcStatus } from './grpc-error.js';
import { HealthBoard, ServingStatus, healthServiceImpl } from './health-service.js';
import { serviceDefinition } from './service-definition.js';
import type { CallContext, RawServiceImpl, ServiceImpl } from './service-types.js';

export interface GrpcServerOptions {
  /** 0 lets the OS pick; read the bound port from `server.port` after `start()`. */
  port: number;
  /** Interface to bind (ZO_GRPC_ADDR); all IPv4 interfaces when empty or absent. */
  host?: string;
  /** ZO_INTERNAL_GRPC_TOKEN; when non-empty every call must send `authorization: Bearer <token>`. */
  token?: string;
  logger: Logger;
  /** Largest message received or sent, in bytes. Ingest bodies travel whole, so it must exceed
   * ZO_PAYLOAD_LIMIT. */
  maxMessageBytes?: number;
  /** How long `stop()` lets in-flight calls finish before cutting them off. */
  shutdownGraceMs?: number;
  /** Told of every finished call (`Service.Method`, gRPC status name such as `OK`), for metrics. */
  onCall?: (method: string, code: string) => void;
}

export interface GrpcServer {
  readonly name: string;
  /** Registers a service; before `start()` only. */
  add<S extends DescService>(service: S, impl: ServiceImpl<S>): void;
  /**
   * Registers a unary-only service whose handlers get each request as its wire bytes, for a
   * service that forwards the message rather than reading it. A malformed message is then the
   * handler's to refuse (INVALID_ARGUMENT) instead of grpc-js's (INTERNAL).
   */
  addRaw<S extends DescService>(service: S, impl: RawServiceImpl<S>): void;
  /** Binds and serves; the server and each added service report SERVING. */
  start(): Promise<void>;
  /** The bound port (after `start()`). */
  readonly port: number;
  /** Standard health status, for readiness: `setServing(false)` while draining or replaying. */
  setServing(serving: boolean, service?: string): void;
  /** NOT_SERVING, then waits for in-flight calls (up to the grace period) and closes. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;
const HEALTH_SERVICE = Health.typeName;

type AnyHandler = (request: Message, context: CallContext) => unknown;

/** A handler's view of the call; the signal aborts on cancel, deadline or forced shutdown. */
function callContext(
  call: ServerUnaryCall<Message, Message> | ServerWritableStream<Message, Message>,
  shutdown: AbortSignal,
): { context: CallContext; done: () => void } {
  const controller = new AbortController();
  const abort = (reason: string) => () => controller.abort(new AppError('UNAVAILABLE', reason));
  const onCancel = abort('call cancelled by the client');
  const onShutdown = abort('server shutting down');
  call.once('cancelled', onCancel);
  shutdown.addEventListener('abort', onShutdown, { once: true });
  const rawDeadline = call.getDeadline();
  const deadline = rawDeadline instanceof Date ? rawDeadline.getTime() : rawDeadline;
  const timer = Number.isFinite(deadline)
    ? setTimeout(
        () => controller.abort(new AppError('DEADLINE_EXCEEDED', 'deadline exceeded')),
        Math.max(0, deadline - Date.now()),
      )
    : undefined;
  const metadata: Metadata = call.metadata;
  const context: CallContext = {
    signal: controller.signal,
    deadline: Number.isFinite(deadline) ? deadline : undefined,
    peer: call.getPeer(),
    header(name) {
      const value = metadata.get(name)[0];
      return value === undefined ? undefined : String(value);
    },
  };
  return {
    context,
    done: () => {
      clearTimeout(timer);
      call.removeListener('cancelled', onCancel);
      shutdown.removeEventListener('abort', onShutdown);
    },
  };
}

/** Resolves when the stream can take more, or when the call is over. */
function drained(call: ServerWritableStream<Message, Message>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      call.removeListener('drain', finish);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    call.once('drain', finish);
    signal.addEventListener('abort', finish, { once: true });
  });
}

/**
 * A gRPC server for the internal services. Every handler runs behind the same wrapper: the
 * token check, a CallContext, AppError → status mapping (code, details and retry-after in
 * trailing metadata) and logging of failures. The standard health service is always there.
 */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const logger = options.logger.child({ module: 'grpc-server' });
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const token = options.token ?? '';
  const server = new Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
  });
  const board = new HealthBoard();
  const shutdown = new AbortController();
  const services: string[] = [];
  let port = -1;
  let state: 'new' | 'started' | 'stopped' = 'new';

  /** The failure to answer with, or undefined when the caller may proceed. */
  const denied = (
    method: DescMethod,
    call: ServerUnaryCall<Message, Message> | ServerWritableStream<Message, Message>,
  ) => {
    if (token === '' || method.parent.typeName === HEALTH_SERVICE) return undefined;
    const header = call.metadata.get('authorization')[0];
    if (bearerMatches(typeof header === 'string' ? header : undefined, token)) return undefined;
    logger.warn({ method: method.name, peer: call.getPeer() }, 'rejected call without valid token');
    return AppError.unauthenticated('missing or invalid internal token');
  };

  const finished = (method: DescMethod, code: number): void => {
    options.onCall?.(`${method.parent.name}.${method.name}`, GrpcStatus[code] ?? String(code));
  };

  const failed = (method: DescMethod, error: unknown) => {
    const appError = toAppError(error);
    const fields = { method: `${method.parent.name}.${method.name}`, code: appError.code };
    if (appError.code === 'INTERNAL') logger.error({ ...fields, err: error }, 'grpc call failed');
    else logger.debug({ ...fields, message: appError.message }, 'grpc call failed');
    const grpcStatus = toGrpcStatus(appError);
    finished(method, grpcStatus.code);
    return grpcStatus;
  };

  const unary =
    (method: DescMethod, handler: AnyHandler) =>
    (call: ServerUnaryCall<Message, Message>, callback: sendUnaryData<Message>): void => {
      const refusal = denied(method, call);
      if (refusal !== undefined) return callback(failed(method, refusal));
      const { context, done } = callContext(call, shutdown.signal);
      // The response is built inside the chain so a handler answering a malformed shape fails
      // the call (INTERNAL) instead of escaping as an unhandled rejection.
      Promise.resolve()
        .then(async () => {
          const response = await (handler(call.request, context) as Promise<
            MessageInitShape<DescMethod['output']>
          >);
          return create(method.output, response);
        })
        .then(
          (response) => {
            done();
            finished(method, GrpcStatus.OK);
            callback(null, response);
          },
          (error: unknown) => {
            done();
            callback(failed(method, error));
          },
        );
    };

  const serverStreaming =
    (method: DescMethod, handler: AnyHandler) =>
    (call: ServerWritableStream<Message, Message>): void => {
      const refusal = denied(method, call);
      if (refusal !== undefined) {
        call.emit('error', failed(method, refusal));
        return;
      }
      const { context, done } = callContext(call, shutdown.signal);
      const run = async (): Promise<void> => {
        const messages = handler(call.request, context) as AsyncIterable<
          MessageInitShape<DescMethod['output']>
        >;
        for await (const message of messages) {
          // Breaking out of for-await closes the handler's generator (its finally blocks run).
          if (context.signal.aborted) break;
          if (!call.write(create(method.output, message))) await drained(call, context.signal);
        }
      };
      run().then(
        () => {
          done();
          finished(method, GrpcStatus.OK);
          if (!call.cancelled) call.end();
        },
        (error: unknown) => {
          done();
          if (!call.cancelled) call.emit('error', failed(method, error));
        },
      );
    };

  const register = (
    service: DescService,
    handlers: Record<string, AnyHandler>,
    rawRequests: boolean,
  ): void => {
    if (state !== 'new') throw new Error('grpc services must be added before start()');
    const implementation: UntypedServiceImplementation = {};
    for (const method of service.methods) {
      const handler = handlers[method.localName];
      if (handler === undefined)
        throw new Error(`${service.typeName}: no handler for ${method.name}`);
      if (method.methodKind === 'unary') implementation[method.localName] = unary(method, handler);
      else if (method.methodKind === 'server_streaming' && !rawRequests)
        implementation[method.localName] = serverStreaming(method, handler);
      else throw new Error(`${service.typeName}.${method.name}: ${method.methodKind} unsupported`);
    }
    server.addService(serviceDefinition(service, { rawRequests }), implementation);
    services.push(service.typeName);
  };

  const grpcServer: GrpcServer = {
    name: 'grpc',

    get port() {
      if (state !== 'started') throw new Error('grpc server is not started');
      return port;
    },

    add(service, impl) {
      register(service, impl, false);
    },

    addRaw(service, impl) {
      register(service, impl, true);
    },

    async start() {
      if (state !== 'new') throw new Error('grpc server can start once');
      const host = options.host === undefined || options.host === '' ? '0.0.0.0' : options.host;
      const address = host.includes(':') ? `[${host}]:${options.port}` : `${host}:${options.port}`;
      port = await new Promise<number>((resolve, reject) => {
        server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) =>
          error
            ? reject(
                new AppError('UNAVAILABLE', `cannot bind gRPC ${address}: ${error.message}`, {
                  cause: error,
                }),
              )
            : resolve(bound),
        );
      });
      state = 'started';
      board.set('', ServingStatus.SERVING);
      for (const service of services) board.set(service, ServingStatus.SERVING);
      logger.info({ host, port, services }, 'grpc server listening');
    },

    setServing(serving, service = '') {
      board.set(service, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    },

    async stop() {
      if (state !== 'started') {
        state = 'stopped';
        return;
      }
      state = 'stopped';
      board.setAll(ServingStatus.NOT_SERVING);
      board.close();
      const grace = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.warn({ graceMs: grace }, 'grpc calls still running at shutdown: cancelling them');
          shutdown.abort();
          server.forceShutdown();
          resolve();
        }, grace);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      logger.info({ port }, 'grpc server stopped');
    },
  };
  grpcServer.add(Health, healthServiceImpl(board));
  return grpcServer;
}
