import { AppError } from '@o2/errors';

/**
 * The SSRF guard for notification targets. A destination URL is checked when it is saved and
 * every address its host resolves to is checked again before each send (the caller resolves, so
 * a name that later points inside is still refused). Loopback, private, link-local (the cloud
 * metadata address 169.254.169.254), CGNAT, unspecified and multicast addresses are refused
 * unless `allowLoopback` (loopback only) or the allow-list names the host, address or range.
 */
export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

export interface SsrfPolicy {
  allowLoopback: boolean;
  /** Host names, addresses or CIDR ranges that may be reached whatever their class. */
  allowList: readonly string[];
}

function v4(address: string): number[] | undefined {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)
    ? parts
    : undefined;
}

/** IPv6 as eight 16-bit groups (an embedded IPv4 tail is folded in). */
function v6(address: string): number[] | undefined {
  let a = address.toLowerCase().split('%')[0] ?? '';
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (tail !== null) {
    const p = v4(tail[1] ?? '');
    if (p === undefined) return undefined;
    a = `${a.slice(0, -(tail[1] ?? '').length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head = '', rest] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const r = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? 0 : 8 - h.length - r.length;
  const groups = [...h, ...Array<string>(Math.max(0, fill)).fill('0'), ...r].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

function classifyV4(p: readonly number[]): AddressClass {
  const a = p[0] ?? 0;
  const b = p[1] ?? 0;
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 0) return 'unspecified';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return 'public';
}

/**
 * The IPv4 address an IPv6 one reaches, when its prefix carries one: IPv4-mapped, IPv4-compatible
 * (`::a.b.c.d`), well-known NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`). Judging the IPv6 form
 * as public would let `[64:ff9b::a9fe:a9fe]` reach the metadata address through a NAT64 gateway.
 */
function embeddedV4(g: readonly number[]): number[] | undefined {
  const tail = [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && (g[5] === 0xffff || g[5] === 0)) return tail;
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return tail;
  if (g[0] === 0x2002) return [g[1]! >> 8, g[1]! & 0xff, g[2]! >> 8, g[2]! & 0xff];
  return undefined;
}

/** The class of an IPv4 or IPv6 address (IPv4-mapped IPv6 is judged as its IPv4). */
export function classifyAddress(address: string): AddressClass {
  const p4 = v4(address);
  if (p4 !== undefined) return classifyV4(p4);
  const g = v6(address);
  if (g === undefined) return 'reserved';
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  const inner = embeddedV4(g);
  if (inner !== undefined) return classifyV4(inner);
  // Local-use NAT64 (RFC 8215) translates to addresses chosen by the operator: inside ones.
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

function inCidr(address: string, cidr: string): boolean {
  const [base = '', bitsText] = cidr.split('/');
  const a4 = v4(address);
  const b4 = v4(base);
  if (a4 !== undefined && b4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    const n = (p: number[]) => ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (n(a4) & mask) === (n(b4) & mask);
  }
  const a6 = v6(address);
  const b6 = v6(base);
  if (a6 === undefined || b6 === undefined) return false;
  let bits = bitsText === undefined ? 128 : Number(bitsText);
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((a6[i]! & mask) !== (b6[i]! & mask)) return false;
  }
  return true;
}

const isAddress = (s: string) => v4(s) !== undefined || v6(s) !== undefined;

/** Whether the policy lets a request go to `address` (reached through the name `host`). */
export function addressAllowed(host: string, address: string, policy: SsrfPolicy): boolean {
  const cls = classifyAddress(address);
  if (cls === 'public') return true;
  if (cls === 'loopback' && policy.allowLoopback) return true;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return policy.allowList.some((entry) => {
    const e = entry.trim().toLowerCase();
    if (e === '') return false;
    if (e === h) return true;
    return isAddress(e.split('/')[0] ?? '') && inCidr(address, e);
  });
}

/** A destination URL's parts, or INVALID_ARGUMENT: only http(s), no credentials in the URL. */
export function parseDestinationUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw AppError.invalidArgument(`Invalid destination url: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw AppError.invalidArgument('Destination url must be http or https');
  if (url.username !== '' || url.password !== '')
    throw AppError.invalidArgument('Destination url must not carry credentials; use headers');
  return url;
}

/** Refuses (INVALID_ARGUMENT naming the address class) when any address is not allowed. */
export function checkAddresses(host: string, addresses: readonly string[], policy: SsrfPolicy) {
  if (addresses.length === 0) throw AppError.invalidArgument(`Cannot resolve host ${host}`);
  for (const address of addresses) {
    if (!addressAllowed(host, address, policy))
      throw AppError.invalidArgument(
        `Destination ${host} resolves to a ${classifyAddress(address)} address (${address}), which is not allowed`,
      );
  }
}
