// xxHash (XXH32, XXH64, XXH3-64, XXH3-128), written from the xxHash specification. 64-bit lanes
// use BigInt; the functions are not on any hot path. Seed 0 and the default 192-byte secret.
const M64 = 0xffffffffffffffffn;
const P32 = [0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f, 0x165667b1] as const;
const P64 = [
  0x9e3779b185ebca87n,
  0xc2b2ae3d27d4eb4fn,
  0x165667b19e3779f9n,
  0x85ebca77c2b2ae63n,
  0x27d4eb2f165667c5n,
] as const;
const [P1, P2, P3, P4, P5] = P64;
const MX1 = 0x165667919e3779f9n;
const MX2 = 0x9fb21c651e98df25n;

const SECRET = Buffer.from(
  'b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671fcb79e64eccc0e578825ad07dccff7221' +
    'b8084674f743248ee03590e6813a264c3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8' +
    'a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364eac5ac8334d3ebc3c581a0fffa1363eb' +
    '170ddd51b7f0da49d316552629d4689e2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e',
  'hex',
);

const mul = (a: bigint, b: bigint): bigint => (a * b) & M64;
const add = (...xs: bigint[]): bigint => xs.reduce((s, x) => s + x, 0n) & M64;
const rotl64 = (x: bigint, r: number): bigint => ((x << BigInt(r)) | (x >> BigInt(64 - r))) & M64;
const rd64 = (b: Buffer, o: number): bigint => b.readBigUInt64LE(o);
const rd32 = (b: Buffer, o: number): bigint => BigInt(b.readUInt32LE(o));
const sec = (o: number): bigint => rd64(SECRET, o);
const swap64 = (x: bigint): bigint => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(x);
  return b.readBigUInt64BE();
};
const swap32 = (x: bigint): bigint => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(Number(x));
  return BigInt(b.readUInt32BE());
};
const fold = (a: bigint, b: bigint): bigint => {
  const p = a * b;
  return (p ^ (p >> 64n)) & M64;
};

export function xxh32(input: Buffer): number {
  const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
  const round = (acc: number, lane: number): number =>
    Math.imul(rotl((acc + Math.imul(lane, P32[1])) >>> 0, 13), P32[0]) >>> 0;
  const len = input.length;
  let i = 0;
  let h: number;
  if (len >= 16) {
    const v = [(P32[0] + P32[1]) >>> 0, P32[1], 0, (0 - P32[0]) >>> 0];
    for (; i + 16 <= len; i += 16)
      for (let k = 0; k < 4; k++) v[k] = round(v[k] as number, input.readUInt32LE(i + 4 * k));
    const [a, b, c, d] = v as [number, number, number, number];
    h = (rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18)) >>> 0;
  } else h = P32[4];
  h = (h + len) >>> 0;
  for (; i + 4 <= len; i += 4)
    h = Math.imul(rotl((h + Math.imul(input.readUInt32LE(i), P32[2])) >>> 0, 17), P32[3]) >>> 0;
  for (; i < len; i++)
    h = Math.imul(rotl((h + Math.imul(input[i] as number, P32[4])) >>> 0, 11), P32[0]) >>> 0;
  h = Math.imul(h ^ (h >>> 15), P32[1]);
  h = Math.imul(h ^ (h >>> 13), P32[2]);
  return (h ^ (h >>> 16)) >>> 0;
}

const avalanche64 = (h: bigint): bigint => {
  h = mul(h ^ (h >> 33n), P2);
  h = mul(h ^ (h >> 29n), P3);
  return h ^ (h >> 32n);
};

export function xxh64(input: Buffer): bigint {
  const round = (acc: bigint, lane: bigint): bigint => mul(rotl64(add(acc, mul(lane, P2)), 31), P1);
  const len = input.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    const v = [add(P1, P2), P2, 0n, (0n - P1) & M64];
    for (; i + 32 <= len; i += 32)
      for (let k = 0; k < 4; k++) v[k] = round(v[k] as bigint, rd64(input, i + 8 * k));
    const [a, b, c, d] = v as [bigint, bigint, bigint, bigint];
    h = add(rotl64(a, 1), rotl64(b, 7), rotl64(c, 12), rotl64(d, 18));
    for (const x of v) h = add(mul(h ^ round(0n, x), P1), P4);
  } else h = P5;
  h = add(h, BigInt(len));
  for (; i + 8 <= len; i += 8) h = add(mul(rotl64(h ^ round(0n, rd64(input, i)), 27), P1), P4);
  if (i + 4 <= len) {
    h = add(mul(rotl64(h ^ mul(rd32(input, i), P1), 23), P2), P3);
    i += 4;
  }
  for (; i < len; i++) h = mul(rotl64(h ^ mul(BigInt(input[i] as number), P5), 11), P1);
  return avalanche64(h);
}

const avalanche3 = (h: bigint): bigint => {
  h = mul(h ^ (h >> 37n), MX1);
  return h ^ (h >> 32n);
};
const mix16 = (b: Buffer, o: number, s: number): bigint =>
  fold(rd64(b, o) ^ sec(s), rd64(b, o + 8) ^ sec(s + 8));

const STRIPES_PER_BLOCK = (SECRET.length - 64) / 8;
const BLOCK = 64 * STRIPES_PER_BLOCK;

/** The accumulators of an input longer than 240 bytes (both XXH3 widths share them). */
function longAccs(input: Buffer): bigint[] {
  const acc = [BigInt(P32[2]), P1, P2, P3, P4, BigInt(P32[1]), P5, BigInt(P32[0])];
  const stripe = (o: number, s: number): void => {
    for (let i = 0; i < 8; i++) {
      const v = rd64(input, o + 8 * i);
      const k = v ^ sec(s + 8 * i);
      acc[i ^ 1] = add(acc[i ^ 1] as bigint, v);
      acc[i] = add(acc[i] as bigint, (k & 0xffffffffn) * (k >> 32n));
    }
  };
  const len = input.length;
  const blocks = Math.floor((len - 1) / BLOCK);
  for (let b = 0; b < blocks; b++) {
    for (let n = 0; n < STRIPES_PER_BLOCK; n++) stripe(b * BLOCK + n * 64, n * 8);
    for (let i = 0; i < 8; i++) {
      let a = acc[i] as bigint;
      a ^= a >> 47n;
      acc[i] = mul(a ^ sec(SECRET.length - 64 + 8 * i), BigInt(P32[0]));
    }
  }
  const stripes = Math.floor((len - 1 - BLOCK * blocks) / 64);
  for (let n = 0; n < stripes; n++) stripe(blocks * BLOCK + n * 64, n * 8);
  stripe(len - 64, SECRET.length - 64 - 7);
  return acc;
}

function mergeAccs(acc: bigint[], s: number, start: bigint): bigint {
  let r = start;
  for (let i = 0; i < 4; i++)
    r = add(
      r,
      fold(
        (acc[2 * i] as bigint) ^ sec(s + 16 * i),
        (acc[2 * i + 1] as bigint) ^ sec(s + 16 * i + 8),
      ),
    );
  return avalanche3(r);
}

export function xxh3_64(input: Buffer): bigint {
  const len = input.length;
  const L = BigInt(len);
  if (len === 0) return avalanche64(sec(56) ^ sec(64));
  if (len <= 3) {
    const c = BigInt(
      (((input[0] as number) << 16) |
        ((input[len >> 1] as number) << 24) |
        (input[len - 1] as number) |
        (len << 8)) >>>
        0,
    );
    return avalanche64(c ^ ((rd32(SECRET, 0) ^ rd32(SECRET, 4)) & M64));
  }
  if (len <= 8) {
    const v = add(rd32(input, len - 4), rd32(input, 0) << 32n);
    let h = v ^ (sec(8) ^ sec(16));
    h ^= rotl64(h, 49) ^ rotl64(h, 24);
    h = mul(h, MX2);
    h ^= add(h >> 35n, L);
    h = mul(h, MX2);
    return h ^ (h >> 28n);
  }
  if (len <= 16) {
    const lo = rd64(input, 0) ^ (sec(24) ^ sec(32));
    const hi = rd64(input, len - 8) ^ (sec(40) ^ sec(48));
    return avalanche3(add(L, swap64(lo), hi, fold(lo, hi)));
  }
  if (len <= 128) {
    let acc = mul(L, P1);
    const pairs = len > 96 ? 4 : len > 64 ? 3 : len > 32 ? 2 : 1;
    for (let k = pairs - 1; k >= 0; k--) {
      acc = add(acc, mix16(input, 16 * k, 32 * k), mix16(input, len - 16 * (k + 1), 32 * k + 16));
    }
    return avalanche3(acc);
  }
  if (len <= 240) {
    let acc = mul(L, P1);
    for (let i = 0; i < 8; i++) acc = add(acc, mix16(input, 16 * i, 16 * i));
    acc = avalanche3(acc);
    for (let i = 8; i < Math.floor(len / 16); i++)
      acc = add(acc, mix16(input, 16 * i, 16 * (i - 8) + 3));
    return avalanche3(add(acc, mix16(input, len - 16, 136 - 17)));
  }
  return mergeAccs(longAccs(input), 11, mul(L, P1));
}

function mix32(
  acc: [bigint, bigint],
  b: Buffer,
  o1: number,
  o2: number,
  s: number,
): [bigint, bigint] {
  const lo = add(acc[0], mix16(b, o1, s)) ^ add(rd64(b, o2), rd64(b, o2 + 8));
  const hi = add(acc[1], mix16(b, o2, s + 16)) ^ add(rd64(b, o1), rd64(b, o1 + 8));
  return [lo, hi];
}

function finish128(acc: [bigint, bigint], L: bigint): [bigint, bigint] {
  const lo = add(acc[0], acc[1]);
  const hi = add(mul(acc[0], P1), mul(acc[1], P4), mul(L, P2));
  return [avalanche3(lo), (0n - avalanche3(hi)) & M64];
}

/** XXH3-128 as [low 64 bits, high 64 bits]. */
export function xxh3_128(input: Buffer): [bigint, bigint] {
  const len = input.length;
  const L = BigInt(len);
  if (len === 0) return [avalanche64(sec(64) ^ sec(72)), avalanche64(sec(80) ^ sec(88))];
  if (len <= 3) {
    const cl = BigInt(
      (((input[0] as number) << 16) |
        ((input[len >> 1] as number) << 24) |
        (input[len - 1] as number) |
        (len << 8)) >>>
        0,
    );
    const sw = swap32(cl);
    const ch = ((sw << 13n) | (sw >> 19n)) & 0xffffffffn;
    return [
      avalanche64(cl ^ (rd32(SECRET, 0) ^ rd32(SECRET, 4))),
      avalanche64(ch ^ (rd32(SECRET, 8) ^ rd32(SECRET, 12))),
    ];
  }
  if (len <= 8) {
    const v = add(rd32(input, 0), rd32(input, len - 4) << 32n);
    const p = (v ^ (sec(16) ^ sec(24))) * add(P1, L << 2n);
    let lo = p & M64;
    let hi = (p >> 64n) & M64;
    hi = add(hi, lo << 1n);
    lo ^= hi >> 3n;
    lo ^= lo >> 35n;
    lo = mul(lo, MX2);
    lo ^= lo >> 28n;
    return [lo, avalanche3(hi)];
  }
  if (len <= 16) {
    const inLo = rd64(input, 0);
    let inHi = rd64(input, len - 8);
    const p = (inLo ^ inHi ^ (sec(32) ^ sec(40))) * P1;
    let lo = add(p & M64, (L - 1n) << 54n);
    inHi ^= sec(48) ^ sec(56);
    const hi = add(p >> 64n, inHi, (inHi & 0xffffffffn) * BigInt(P32[1] - 1));
    lo ^= swap64(hi);
    const q = lo * P2;
    return [avalanche3(q & M64), avalanche3(add(q >> 64n, mul(hi, P2)))];
  }
  let acc: [bigint, bigint] = [mul(L, P1), 0n];
  if (len <= 128) {
    const pairs = len > 96 ? 4 : len > 64 ? 3 : len > 32 ? 2 : 1;
    for (let k = pairs - 1; k >= 0; k--)
      acc = mix32(acc, input, 16 * k, len - 16 * (k + 1), 32 * k);
    return finish128(acc, L);
  }
  if (len <= 240) {
    for (let i = 0; i < 4; i++) acc = mix32(acc, input, 32 * i, 32 * i + 16, 32 * i);
    acc = [avalanche3(acc[0]), avalanche3(acc[1])];
    for (let i = 4; i < Math.floor(len / 32); i++)
      acc = mix32(acc, input, 32 * i, 32 * i + 16, 3 + 32 * (i - 4));
    acc = mix32(acc, input, len - 16, len - 32, 136 - 17 - 16);
    return finish128(acc, L);
  }
  const accs = longAccs(input);
  return [
    mergeAccs(accs, 11, mul(L, P1)),
    mergeAccs(accs, SECRET.length - 64 - 11, ~mul(L, P2) & M64),
  ];
}
