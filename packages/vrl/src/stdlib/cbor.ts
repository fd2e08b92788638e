// CBOR (RFC 8949) to VRL values: maps become objects (keys as text), byte strings and text
// strings become bytes, tags are dropped in favour of their content, floats stay floats.
import { fromBytes, toBytes } from '../bytes.js';
import { fn, functionError, str, type VrlFunction } from '../function.js';
import { newObject, setField, VFloat, type Value } from '../value.js';

const BAD = 'unable to parse CBOR: ';

function float(n: number): Value {
  return Number.isInteger(n) ? new VFloat(n) : n;
}

function half(bits: number): number {
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw functionError(`${BAD}unexpected end of input`);
  }

  private arg(info: number): number | undefined {
    if (info < 24) return info;
    const sizes: Record<number, number> = { 24: 1, 25: 2, 26: 4, 27: 8 };
    const size = sizes[info];
    if (size === undefined) {
      if (info === 31) return undefined;
      throw functionError(`${BAD}invalid additional information ${info}`);
    }
    this.need(size);
    const b = this.buf;
    const at = this.pos;
    this.pos += size;
    if (size === 1) return b.readUInt8(at);
    if (size === 2) return b.readUInt16BE(at);
    if (size === 4) return b.readUInt32BE(at);
    return Number(b.readBigUInt64BE(at));
  }

  private chunks(major: number, len: number | undefined): Buffer {
    if (len !== undefined) {
      this.need(len);
      const out = this.buf.subarray(this.pos, this.pos + len);
      this.pos += len;
      return out;
    }
    const parts: Buffer[] = [];
    for (;;) {
      this.need(1);
      if (this.buf[this.pos] === 0xff) {
        this.pos++;
        return Buffer.concat(parts);
      }
      const head = this.buf[this.pos++] as number;
      if (head >> 5 !== major) throw functionError(`${BAD}invalid indefinite-length chunk`);
      parts.push(this.chunks(major, this.arg(head & 0x1f)));
    }
  }

  private atBreak(): boolean {
    this.need(1);
    if (this.buf[this.pos] !== 0xff) return false;
    this.pos++;
    return true;
  }

  value(): Value {
    this.need(1);
    const head = this.buf[this.pos++] as number;
    const major = head >> 5;
    const info = head & 0x1f;
    if (major === 7) return this.simple(info);
    const len = this.arg(info);
    switch (major) {
      case 0:
        return len as number;
      case 1:
        return -1 - (len as number);
      case 2:
        return fromBytes(Buffer.from(this.chunks(2, len)));
      case 3:
        return this.chunks(3, len).toString('utf8');
      case 4: {
        const out: Value[] = [];
        for (let i = 0; len === undefined ? !this.atBreak() : i < len; i++) out.push(this.value());
        return out;
      }
      case 5: {
        const out = newObject();
        for (let i = 0; len === undefined ? !this.atBreak() : i < len; i++) {
          const k = this.value();
          const key = typeof k === 'string' ? k : typeof k === 'number' ? String(k) : undefined;
          if (key === undefined) throw functionError(`${BAD}map keys must be strings`);
          setField(out, key, this.value());
        }
        return out;
      }
      default:
        // Tag (major 6): its content stands for it.
        return this.value();
    }
  }

  private simple(info: number): Value {
    if (info === 20) return false;
    if (info === 21) return true;
    if (info === 22 || info === 23) return null;
    if (info === 24) {
      this.need(1);
      this.pos++;
      return null;
    }
    const sizes: Record<number, number> = { 25: 2, 26: 4, 27: 8 };
    const size = sizes[info];
    if (size === undefined) {
      if (info < 20) return info;
      throw functionError(`${BAD}unexpected break or reserved value`);
    }
    this.need(size);
    const at = this.pos;
    this.pos += size;
    if (size === 2) return float(half(this.buf.readUInt16BE(at)));
    if (size === 4) return float(this.buf.readFloatBE(at));
    return float(this.buf.readDoubleBE(at));
  }
}

export function parseCbor(buf: Buffer): Value {
  const r = new Reader(buf);
  const v = r.value();
  if (r.pos !== buf.length) throw functionError(`${BAD}trailing data`);
  return v;
}

export const cborFunctions: VrlFunction[] = [
  fn('parse_cbor', ['value:string'], ([v]) => parseCbor(toBytes(str(v))), { fallible: true }),
];
