/**
 * The top-level field numbers of a protobuf message with how often each occurs, read from the
 * wire format alone (no schema). Enough to assert that a body is a well-formed message with, say,
 * `resource_logs` (field 1) in it, without compiling the OTLP protos into the test harness.
 * Throws on bytes that are not a well-formed message.
 */
export function topLevelProtobufFields(bytes: Uint8Array): Map<number, number> {
  const counts = new Map<number, number>();
  let offset = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (offset >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[offset++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > 63) throw new Error('varint longer than 10 bytes');
    }
  };
  const skip = (length: number): void => {
    if (offset + length > bytes.length) throw new Error('field runs past the end of the message');
    offset += length;
  };
  while (offset < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new Error('field number 0');
    if (wireType === 0) varint();
    else if (wireType === 1) skip(8);
    else if (wireType === 2) skip(varint());
    else if (wireType === 5) skip(4);
    else throw new Error(`unsupported wire type ${wireType} for field ${field}`);
    counts.set(field, (counts.get(field) ?? 0) + 1);
  }
  return counts;
}
