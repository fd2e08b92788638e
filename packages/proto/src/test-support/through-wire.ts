import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageInitShape, MessageShape } from '@bufbuild/protobuf';

/**
 * What the peer decodes from `init`: built, serialised to protobuf bytes and parsed back, as a
 * gRPC call would carry it. Round-trip tests go through it so a field the codec writes but the
 * wire does not keep (a missing `optional`, an int64 out of range) shows.
 */
export function throughWire<Desc extends DescMessage>(
  schema: Desc,
  init: MessageInitShape<Desc>,
): MessageShape<Desc> {
  return fromBinary(schema, toBinary(schema, create(schema, init)));
}
