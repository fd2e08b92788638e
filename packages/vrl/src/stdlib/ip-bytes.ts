// IP addresses as raw network-order bytes (ip_pton / ip_ntop) and Friendly IDs (base62 UUIDs).
import { isIP } from 'node:net';
import { fromBytes, toBytes } from '../bytes.js';
import { fn, functionError, str, type VrlFunction } from '../function.js';

function pton(ip: string): Buffer {
  const kind = isIP(ip);
  if (kind === 4) return Buffer.from(ip.split('.').map(Number));
  if (kind !== 6) throw functionError(`unable to parse IP address: ${ip}`);
  let text = ip.split('%')[0] as string;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail !== null) {
    const b = (tail[1] as string).split('.').map(Number);
    const hex = (x: number, y: number): string => ((x << 8) | y).toString(16);
    text = `${text.slice(0, -(tail[1] as string).length)}${hex(b[0] ?? 0, b[1] ?? 0)}:${hex(b[2] ?? 0, b[3] ?? 0)}`;
  }
  const [head, rest] = text.split('::') as [string, string?];
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(zeros).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(Number.parseInt(g, 16), i * 2));
  return out;
}

function ntop(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) throw functionError('unable to convert bytes to IP address: wrong length');
  const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  // The longest run (2 or more) of zero groups becomes `::` (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function fromFriendlyId(id: string): string {
  let n = 0n;
  for (const c of id) {
    const d = BASE62.indexOf(c);
    if (d < 0) throw functionError(`invalid friendly id: ${id}`);
    n = n * 62n + BigInt(d);
  }
  if (id === '' || n >= 1n << 128n) throw functionError(`invalid friendly id: ${id}`);
  const h = n.toString(16).padStart(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const ipBytesFunctions: VrlFunction[] = [
  fn('ip_pton', ['value:string'], ([v]) => fromBytes(pton(str(v))), { fallible: true }),
  fn('ip_ntop', ['value:string'], ([v]) => ntop(toBytes(str(v))), { fallible: true }),
  fn('uuid_from_friendly_id', ['value:string'], ([v]) => fromFriendlyId(str(v)), {
    fallible: true,
  }),
];
