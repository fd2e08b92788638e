import { isUtf8 } from 'node:buffer';
import { AppError } from '@o2/errors';

/**
 * The protobuf wire format as the hand-written OTLP readers need it, read straight from the
 * bytes: no generic message objects (the reflection decoder of protobuf-es built one per
 * attribute and value, and was the largest cost of trace ingest). It keeps the rules of the
 * decoder it replaces where they show: proto3 strings must be valid UTF-8, messages nest at
 * most 100 deep, unknown fields (groups included) are skipped. Unlike it, a known field sent
 * with the wrong wire type is refused (as O2's prost does) instead of being misread.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

/** protobuf-es's default recursion limit, counted the same way (the request is depth 1). */
export const MAX_MESSAGE_DEPTH = 100;

const TWO_32 = 0x1_0000_0000;

export class WireReader {
  pos = 0;
  /** How many messages are open (see `enter`). */
  depth = 0;
  readonly end: number;
  private readonly view: DataView;
  private readonly text: Buffer;

  constructor(
    readonly bytes: Uint8Array,
    /** The message name errors start with, e.g. `ExportTraceServiceRequest`. */
    private readonly what: string,
  ) {
    this.end = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(problem: string): AppError {
    return AppError.invalidArgument(`Invalid protobuf ${this.what}: ${problem}`);
  }

  private truncated(): AppError {
    return this.fail('truncated message (premature end of data)');
  }

  /** A varint's low 32 bits as an unsigned number (tags, lengths, uint32); reads all of it. */
  uint32(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 32; shift += 7) {
      const b = bytes[pos++];
      if (b === undefined) throw this.truncated();
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    // Bits past the 32nd: read and dropped, at most 10 bytes in all.
    for (let i = 5; i < 10; i++) {
      const b = bytes[pos++];
      if (b === undefined) throw this.truncated();
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw this.fail('varint longer than 10 bytes');
  }

  /** An int32 / open enum: the varint's low 32 bits, signed. */
  int32(): number {
    return this.uint32() | 0;
  }

  /** An int64 varint as a number when it is a safe integer, else as a bigint. */
  int64(): number | bigint {
    const bytes = this.bytes;
    let pos = this.pos;
    let low = 0;
    let high = 0;
    let b = 0x80;
    let shift = 0;
    for (; shift < 28 && b >= 0x80; shift += 7) {
      const next = bytes[pos++];
      if (next === undefined) throw this.truncated();
      b = next;
      low |= (b & 0x7f) << shift;
    }
    if (b >= 0x80) {
      const next = bytes[pos++];
      if (next === undefined) throw this.truncated();
      b = next;
      low |= (b & 0x0f) << 28;
      high = (b & 0x7f) >> 4;
      for (shift = 3; b >= 0x80; shift += 7) {
        if (shift > 31) throw this.fail('varint longer than 10 bytes');
        const more = bytes[pos++];
        if (more === undefined) throw this.truncated();
        b = more;
        high |= (b & 0x7f) << shift;
      }
    }
    this.pos = pos;
    const value = (high | 0) * TWO_32 + (low >>> 0);
    if (Number.isSafeInteger(value)) return value;
    return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
  }

  /** A bool varint: any non-zero value is true. */
  bool(): boolean {
    const value = this.int64();
    return value !== 0;
  }

  fixed32(): number {
    const at = this.pos;
    if (at + 4 > this.end) throw this.truncated();
    this.pos = at + 4;
    return this.view.getUint32(at, true);
  }

  fixed64(): bigint {
    const at = this.pos;
    if (at + 8 > this.end) throw this.truncated();
    this.pos = at + 8;
    return this.view.getBigUint64(at, true);
  }

  double(): number {
    const at = this.pos;
    if (at + 8 > this.end) throw this.truncated();
    this.pos = at + 8;
    return this.view.getFloat64(at, true);
  }

  /** A length-delimited field's bytes: a view into the request, not a copy. */
  bytesField(): Uint8Array {
    const length = this.uint32();
    const start = this.pos;
    if (start + length > this.end) throw this.truncated();
    this.pos = start + length;
    return this.bytes.subarray(start, start + length);
  }

  /** A proto3 string: invalid UTF-8 fails the request, as in protobuf-es (strict for proto3). */
  string(): string {
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) throw this.truncated();
    this.pos = end;
    const text = this.text.toString('utf8', start, end);
    // Decoding replaces bad bytes with U+FFFD; only then is the (rarer) exact check needed.
    if (text.includes('\uFFFD') && !isUtf8(this.bytes.subarray(start, end)))
      throw this.fail('invalid UTF-8 in a string field');
    return text;
  }

  /** Field number and wire type of the next field. */
  tag(): [field: number, wireType: number] {
    const tag = this.uint32();
    const field = tag >>> 3;
    if (field === 0) throw this.fail('illegal field number 0');
    return [field, tag & 7];
  }

  /** Refuses a known field sent with another wire type than its declared one. */
  expect(wireType: number, expected: number, field: number): void {
    if (wireType !== expected)
      throw this.fail(`field ${field} has wire type ${wireType}, expected ${expected}`);
  }

  /** Enters a nested message: returns where it ends. Close it with `leave(end)`. */
  enter(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.end) throw this.truncated();
    if (++this.depth > MAX_MESSAGE_DEPTH)
      throw this.fail(`maximum recursion depth of ${MAX_MESSAGE_DEPTH} reached`);
    return end;
  }

  leave(end: number): void {
    if (this.pos !== end) throw this.fail('a field overruns its message');
    this.depth--;
  }

  /** Skips a field this reader does not use, groups included (forward compatibility). */
  skip(wireType: number, field: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.int64();
        return;
      case WIRE_FIXED64:
        this.pos += 8;
        break;
      case WIRE_LEN: {
        const length = this.uint32(); // read first: `pos += uint32()` would use the old pos
        this.pos += length;
        break;
      }
      case WIRE_FIXED32:
        this.pos += 4;
        break;
      case WIRE_START_GROUP:
        this.skipGroup(field);
        return;
      default:
        throw this.fail(`unexpected wire type ${wireType}`);
    }
    if (this.pos > this.end) throw this.truncated();
  }

  private skipGroup(field: number): void {
    if (++this.depth > MAX_MESSAGE_DEPTH)
      throw this.fail(`maximum recursion depth of ${MAX_MESSAGE_DEPTH} reached`);
    for (;;) {
      if (this.pos >= this.end) throw this.truncated();
      const [inner, wireType] = this.tag();
      if (wireType === WIRE_END_GROUP) {
        if (inner !== field) throw this.fail('invalid end group tag');
        this.depth--;
        return;
      }
      this.skip(wireType, inner);
    }
  }
}
