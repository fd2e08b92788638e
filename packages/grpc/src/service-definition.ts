import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMethod, DescService, Message } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

/** `/<package>.<Service>/<Rpc>`, the HTTP/2 path gRPC routes on. */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * The grpc-js definition of one RPC, (de)serialising with protobuf-es. grpc-js only needs the
 * path, the streaming flags and four byte converters, so the descriptors protoc-gen-es emits
 * are all it takes — no protobufjs or proto-loader at run time.
 */
export function methodDefinition(
  method: DescMethod,
  options: DefinitionOptions = {},
): MethodDefinition<Message, Message> {
  return {
    path: methodPath(method),
    originalName: method.localName,
    requestStream:
      method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
    responseStream:
      method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
    requestSerialize: (message) => Buffer.from(toBinary(method.input, message)),
    // A raw request reaches the handler as the received bytes (a Buffer), undecoded.
    requestDeserialize:
      options.rawRequests === true
        ? (bytes: Buffer) => bytes as unknown as Message
        : (bytes: Buffer) => fromBinary(method.input, bytes),
    responseSerialize: (message) => Buffer.from(toBinary(method.output, message)),
    responseDeserialize: (bytes) => fromBinary(method.output, bytes),
  };
}

export interface DefinitionOptions {
  /**
   * Hand requests to the handlers as their wire bytes: for services that only forward the
   * message (OTLP export → ingester), where decoding and re-encoding it would be wasted work.
   */
  rawRequests?: boolean;
}

/** Every RPC of a service, keyed by local name (the keys of `ServiceImpl`). */
export function serviceDefinition(
  service: DescService,
  options: DefinitionOptions = {},
): ServiceDefinition {
  const definition: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of service.methods)
    definition[method.localName] = methodDefinition(method, options);
  return definition;
}
