import { AppError } from '@o2/errors';

/**
 * The little of the protobuf wire format the remote-write hot path needs, read straight from
 * the bytes: varints as plain numbers (an int64 millisecond time fits a double exactly), strings
 * and doubles without building generic message objects. The reflection-based decoder of
 * protobuf-es builds a message object per label, which made it the slowest step of ingest.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

function truncated(): AppError {
  return AppError.invalidArgument('invalid protobuf: truncated remote write request');
}

export class ProtobufReader {
  pos = 0;
  readonly end: number;
  private readonly view: DataView;
  private readonly text: Buffer;

  constructor(readonly bytes: Uint8Array) {
    this.end = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Enters a length-delimited (nested message) field: returns the position where it ends. The
   * caller reads fields while `pos < end`, then calls `leave(end)`.
   */
  enter(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.end) throw truncated();
    return end;
  }

  /** Checks that a nested message's fields ended exactly at its declared length. */
  leave(end: number): void {
    if (this.pos !== end)
      throw AppError.invalidArgument('invalid protobuf: a field overruns its message');
  }

  /** The next length-delimited field's bytes (a view, not a copy). */
  lengthDelimited(): Uint8Array {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw truncated();
    return this.bytes.subarray(start, this.pos);
  }

  /** A varint as a number: exact up to 2^53, two's complement for negative int64. */
  varint(): number {
    const bytes = this.bytes;
    let low = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const b = bytes[this.pos++];
      if (b === undefined || this.pos > this.end) throw truncated();
      low |= (b & 0x7f) << shift;
      if (b < 0x80) return low >>> 0;
    }
    const middle = bytes[this.pos++];
    if (middle === undefined || this.pos > this.end) throw truncated();
    low |= (middle & 0x0f) << 28;
    let high = (middle & 0x7f) >> 4;
    if (middle >= 0x80) {
      for (let shift = 3; ; shift += 7) {
        const b = bytes[this.pos++];
        if (b === undefined || this.pos > this.end || shift > 31 + 7) throw truncated();
        high |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
    }
    return (high | 0) * 0x1_0000_0000 + (low >>> 0);
  }

  double(): number {
    const at = this.pos;
    this.pos += 8;
    if (this.pos > this.end) throw truncated();
    return this.view.getFloat64(at, true);
  }

  string(): string {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw truncated();
    return this.text.toString('utf8', start, this.pos);
  }

  /** Field number and wire type of the next field. */
  tag(): [field: number, wireType: number] {
    const tag = this.varint();
    return [tag >>> 3, tag & 7];
  }

  /** Skips a field this decoder does not use (forward compatibility, like any protobuf reader). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.pos += 8;
        break;
      case WIRE_LEN: {
        const length = this.varint(); // read first: `pos += varint()` would use the old pos
        this.pos += length;
        break;
      }
      case WIRE_FIXED32:
        this.pos += 4;
        break;
      default:
        throw AppError.invalidArgument(`invalid protobuf: unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw truncated();
  }

  get done(): boolean {
    return this.pos >= this.end;
  }
}
