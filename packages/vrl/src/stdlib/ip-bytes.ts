// IP addresses as bytes: ip_pton/ip_ntop, IP encryption (ipcrypt's deterministic AES-128 and
// prefix-preserving modes) and Community ID flow hashes. Every address is handled as 16 bytes,
// IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d), which is how ipcrypt defines both modes.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { fn, functionError, type VrlFunction } from '../function.js';
import { fromBytes, toBytes } from '../bytes.js';
import type { Value } from '../value.js';

const V4_MAPPED = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);

function v4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

/** The address's bytes: 4 for IPv4, 16 for IPv6; undefined when it is not an address. */
export function ipBytes(ip: string): Buffer | undefined {
  const family = isIP(ip);
  if (family === 4) return v4Bytes(ip);
  if (family !== 6) return undefined;
  let text = ip.replace(/%.*$/, '');
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const b = v4Bytes(v4[1] as string);
    tail = [(b[0] as number) * 256 + (b[1] as number), (b[2] as number) * 256 + (b[3] as number)];
    text = text.slice(0, -(v4[1] as string).length) + '0';
  }
  const [head, rest] = text.split('::') as [string, string?];
  const groups = (s: string): number[] =>
    s === '' ? [] : s.split(':').map((g) => parseInt(g, 16));
  let hs = groups(head);
  let rs = rest === undefined ? [] : groups(rest);
  if (v4 !== null) {
    if (rest === undefined) hs = [...hs.slice(0, -1), ...tail];
    else rs = [...rs.slice(0, -1), ...tail];
  }
  const all = [...hs, ...new Array<number>(8 - hs.length - rs.length).fill(0), ...rs];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

const to16 = (b: Buffer): Buffer => (b.length === 4 ? Buffer.concat([V4_MAPPED, b]) : b);
const isMapped = (b: Buffer): boolean => b.subarray(0, 12).equals(V4_MAPPED);

/** IPv6 text as RFC 5952 writes it: lower case, the longest run of zero groups (≥ 2) as `::`. */
export function v6Text(b: Buffer, mappedAsV4 = true): string {
  if (mappedAsV4 && isMapped(b)) return `::ffff:${[...b.subarray(12)].join('.')}`;
  const g = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** 16 bytes back to text: an IPv4-mapped address as plain IPv4. */
const text16 = (b: Buffer): string => (isMapped(b) ? [...b.subarray(12)].join('.') : v6Text(b));

function aesBlock(key: Buffer, block: Buffer, decrypt = false): Buffer {
  const c = decrypt
    ? createDecipheriv('aes-128-ecb', key, null)
    : createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

const bitAt = (b: Buffer, pos: number): number => ((b[15 - (pos >> 3)] as number) >> (pos & 7)) & 1;
function setBit(b: Buffer, pos: number, v: number): void {
  const i = 15 - (pos >> 3);
  const m = 1 << (pos & 7);
  b[i] = v ? (b[i] as number) | m : (b[i] as number) & ~m;
}
function shiftLeft(b: Buffer): void {
  for (let i = 0; i < 16; i++) b[i] = (((b[i] as number) << 1) | ((b[i + 1] ?? 0) >> 7)) & 0xff;
}

/**
 * Prefix-preserving encryption: bit i of the output is bit i of the input XOR one bit of
 * AES_K1(p) ⊕ AES_K2(p), where p is the (already known) plain prefix before bit i, padded with a
 * leading 1. Equal prefixes thus stay equal; IPv4 only walks its last 32 bits.
 */
function pfx(ip: Buffer, key: Buffer, decrypt: boolean): Buffer {
  const k1 = key.subarray(0, 16);
  const k2 = key.subarray(16, 32);
  if (k1.equals(k2)) throw functionError('the two halves of the pfx key must differ');
  const start = isMapped(ip) ? 96 : 0;
  const out = Buffer.from(ip);
  const padded = Buffer.alloc(16);
  if (start === 96) {
    padded[3] = 1;
    padded[14] = 0xff;
    padded[15] = 0xff;
  } else padded[15] = 1;
  for (let n = start; n < 128; n++) {
    const e1 = aesBlock(k1, padded);
    const e2 = aesBlock(k2, padded);
    const flip = ((e1[15] as number) ^ (e2[15] as number)) & 1;
    const pos = 127 - n;
    const inBit = bitAt(ip, pos);
    const outBit = inBit ^ flip;
    setBit(out, pos, outBit);
    shiftLeft(padded);
    setBit(padded, 0, decrypt ? outBit : inBit);
  }
  return out;
}

function ipCrypt(name: string, decrypt: boolean): VrlFunction {
  return fn(
    name,
    ['ip:string', 'key:string', 'mode:string'],
    ([ipV, keyV, modeV]) => {
      const raw = ipBytes(ipV as string);
      if (raw === undefined) throw functionError(`invalid IP address: ${ipV as string}`);
      const key = toBytes(keyV as string);
      const ip = to16(raw);
      if (modeV === 'aes128') {
        if (key.length !== 16)
          throw functionError(`aes128 mode requires a 16-byte key, got ${key.length} bytes`);
        return text16(aesBlock(key, ip, decrypt));
      }
      if (modeV === 'pfx') {
        if (key.length !== 32)
          throw functionError(`pfx mode requires a 32-byte key, got ${key.length} bytes`);
        return text16(pfx(ip, key, decrypt));
      }
      throw functionError(`invalid mode "${modeV as string}": expected "aes128" or "pfx"`);
    },
    { fallible: true },
  );
}

/** ICMP types that answer each other; a type not listed makes a one-way flow. */
const ICMP4_PAIRS: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15 };
Object.assign(ICMP4_PAIRS, { 10: 9, 9: 10, 17: 18, 18: 17 });
const ICMP6_PAIRS: Record<number, number> = { 128: 129, 129: 128, 133: 134, 134: 133 };
Object.assign(ICMP6_PAIRS, { 135: 136, 136: 135, 130: 131, 131: 130, 144: 145, 145: 144 });

function communityId(args: (Value | undefined)[]): string {
  const [srcV, dstV, protoV, sportV, dportV, seedV] = args;
  const src = ipBytes(srcV as string);
  const dst = ipBytes(dstV as string);
  if (src === undefined) throw functionError('source IP is not a valid IP address');
  if (dst === undefined) throw functionError('destination IP is not a valid IP address');
  if (src.length !== dst.length) throw functionError('source and destination IP families differ');
  const proto = protoV as number;
  if (proto < 0 || proto > 255) throw functionError('protocol must be between 0 and 255');
  const seed = typeof seedV === 'number' ? seedV : 0;
  if (seed < 0 || seed > 65535) throw functionError('seed must be between 0 and 65535');
  const hasPorts = [1, 6, 17, 58, 132].includes(proto);
  const sport = typeof sportV === 'number' ? sportV : undefined;
  let dport = typeof dportV === 'number' ? dportV : undefined;
  for (const p of [sport, dport])
    if (p !== undefined && (p < 0 || p > 65535))
      throw functionError('port must be between 0 and 65535');
  let oneWay = false;
  if (hasPorts && (proto === 1 || proto === 58) && sport !== undefined) {
    const pair = (proto === 1 ? ICMP4_PAIRS : ICMP6_PAIRS)[sport];
    if (pair === undefined) oneWay = true;
    else dport = pair;
  }
  let [a, b, pa, pb] = [src, dst, sport, dport];
  const cmp = Buffer.compare(src, dst);
  if (!oneWay && (cmp > 0 || (cmp === 0 && (sport ?? 0) > (dport ?? 0))))
    [a, b, pa, pb] = [dst, src, dport, sport];
  const parts = [Buffer.from([seed >> 8, seed & 0xff]), a, b, Buffer.from([proto, 0])];
  if (hasPorts && pa !== undefined && pb !== undefined)
    parts.push(Buffer.from([pa >> 8, pa & 0xff, pb >> 8, pb & 0xff]));
  return `1:${createHash('sha1').update(Buffer.concat(parts)).digest('base64')}`;
}

export const ipBytesFunctions: VrlFunction[] = [
  fn(
    'ip_pton',
    ['value:string'],
    ([v]) => {
      const b = ipBytes(v as string);
      if (b === undefined) throw functionError(`unable to parse IP address: ${v as string}`);
      return fromBytes(b);
    },
    { fallible: true },
  ),
  fn(
    'ip_ntop',
    ['value:string'],
    ([v]) => {
      const b = toBytes(v as string);
      if (b.length === 4) return [...b].join('.');
      if (b.length === 16) return v6Text(b);
      throw functionError('value must be of length 4 or 16 bytes');
    },
    { fallible: true },
  ),
  ipCrypt('encrypt_ip', false),
  ipCrypt('decrypt_ip', true),
  fn(
    'community_id',
    [
      'source_ip:string',
      'destination_ip:string',
      'protocol:integer',
      'source_port:integer?',
      'destination_port:integer?',
      'seed:integer?',
    ],
    communityId,
    { fallible: true },
  ),
];
