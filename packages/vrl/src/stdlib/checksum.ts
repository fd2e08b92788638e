// Checksums and non-cryptographic hashes: crc (a catalogue of CRC parameter sets), xxhash and
// seahash. 64-bit results come back as VRL integers, i.e. signed 64-bit (JS numbers above 2^53
// lose their low bits, as every integer of that size does in this engine).
import { fn, functionError, optStr, type VrlFunction } from '../function.js';
import { toBytes } from '../bytes.js';
import { xxh3_128, xxh3_64, xxh32, xxh64 } from './hash-xx.js';

interface CrcSpec {
  width: number;
  poly: bigint;
  init: bigint;
  refin: boolean;
  refout: boolean;
  xorout: bigint;
}

const spec = (
  width: number,
  poly: bigint,
  init: bigint,
  reflected: boolean,
  xorout: bigint,
): CrcSpec => ({ width, poly, init, refin: reflected, refout: reflected, xorout });
const ONES32 = 0xffffffffn;
const ONES64 = 0xffffffffffffffffn;

/** Parameter sets by their catalogue names (width, poly, init, reflected, xorout). */
export const CRC_SPECS: Record<string, CrcSpec> = {
  CRC_8_SMBUS: spec(8, 0x07n, 0n, false, 0n),
  CRC_8_MAXIM_DOW: spec(8, 0x31n, 0n, true, 0n),
  CRC_16_ARC: spec(16, 0x8005n, 0n, true, 0n),
  CRC_16_MODBUS: spec(16, 0x8005n, 0xffffn, true, 0n),
  CRC_16_USB: spec(16, 0x8005n, 0xffffn, true, 0xffffn),
  CRC_16_IBM_3740: spec(16, 0x1021n, 0xffffn, false, 0n),
  CRC_16_XMODEM: spec(16, 0x1021n, 0n, false, 0n),
  CRC_16_KERMIT: spec(16, 0x1021n, 0n, true, 0n),
  CRC_16_IBM_SDLC: spec(16, 0x1021n, 0xffffn, true, 0xffffn),
  CRC_32_ISO_HDLC: spec(32, 0x04c11db7n, ONES32, true, ONES32),
  CRC_32_JAMCRC: spec(32, 0x04c11db7n, ONES32, true, 0n),
  CRC_32_BZIP2: spec(32, 0x04c11db7n, ONES32, false, ONES32),
  CRC_32_MPEG_2: spec(32, 0x04c11db7n, ONES32, false, 0n),
  CRC_32_CKSUM: spec(32, 0x04c11db7n, 0n, false, ONES32),
  CRC_32_ISCSI: spec(32, 0x1edc6f41n, ONES32, true, ONES32),
  CRC_64_ECMA_182: spec(64, 0x42f0e1eba9ea3693n, 0n, false, 0n),
  CRC_64_XZ: spec(64, 0x42f0e1eba9ea3693n, ONES64, true, ONES64),
  CRC_64_GO_ISO: spec(64, 0x1bn, ONES64, true, ONES64),
};

const reflect = (x: bigint, width: number): bigint => {
  let r = 0n;
  for (let i = 0; i < width; i++) if ((x >> BigInt(i)) & 1n) r |= 1n << BigInt(width - 1 - i);
  return r;
};

/** A bit-at-a-time CRC over any width up to 64, MSB-first with reflection applied around it. */
export function crcOf(data: Buffer, s: CrcSpec): bigint {
  const w = BigInt(s.width);
  const mask = (1n << w) - 1n;
  const top = 1n << (w - 1n);
  let c = s.init;
  for (const byte of data) {
    const b = BigInt(s.refin ? Number(reflect(BigInt(byte), 8)) : byte);
    c ^= s.width >= 8 ? b << (w - 8n) : b >> (8n - w);
    for (let k = 0; k < 8; k++) c = c & top ? ((c << 1n) ^ s.poly) & mask : (c << 1n) & mask;
  }
  if (s.refout) c = reflect(c, s.width);
  return (c ^ s.xorout) & mask;
}

/** SeaHash (Ticki's): four lanes fed 8-byte little-endian words round-robin, then diffused. */
export function seahash(data: Buffer): bigint {
  const M = 0xffffffffffffffffn;
  const K = 0x6eed0e9da4d94a4fn;
  const diffuse = (x: bigint): bigint => {
    x = (x * K) & M;
    x ^= (x >> 32n) >> (x >> 60n);
    return (x * K) & M;
  };
  const lanes = [
    0x16f11fe89b0d677cn,
    0xb480a793d8e6c86cn,
    0x6fe2e5aaf078ebc9n,
    0x14f994a4c5259381n,
  ];
  for (let i = 0, lane = 0; i < data.length; i += 8, lane = (lane + 1) & 3) {
    const word = Buffer.alloc(8);
    data.copy(word, 0, i, Math.min(i + 8, data.length));
    lanes[lane] = diffuse((lanes[lane] as bigint) ^ word.readBigUInt64LE());
  }
  const [a, b, c, d] = lanes as [bigint, bigint, bigint, bigint];
  return diffuse(a ^ b ^ c ^ d ^ BigInt(data.length));
}

const signed = (x: bigint): number => Number(BigInt.asIntN(64, x));

export const checksumFunctions: VrlFunction[] = [
  fn('crc', ['value:string', 'algorithm:string?'], ([v, a]) => {
    const name = optStr(a, 'CRC_32_ISO_HDLC');
    const s = CRC_SPECS[name];
    if (s === undefined) throw functionError(`Invalid CRC algorithm: ${name}`);
    return crcOf(toBytes(v as string), s).toString();
  }),
  fn('xxhash', ['value:string', 'variant:string?'], ([v, variant]) => {
    const data = toBytes(v as string);
    const name = optStr(variant, 'XXH32');
    if (name === 'XXH32') return xxh32(data);
    if (name === 'XXH64') return signed(xxh64(data));
    if (name === 'XXH3-64') return signed(xxh3_64(data));
    if (name === 'XXH3-128') {
      const [lo, hi] = xxh3_128(data);
      return ((hi << 64n) | lo).toString();
    }
    throw functionError(`Variant must be either 'XXH32', 'XXH64', 'XXH3-64', or 'XXH3-128'`);
  }),
  fn('seahash', ['value:string'], ([v]) => signed(seahash(toBytes(v as string)))),
];
