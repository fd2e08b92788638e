// encrypt/decrypt with the algorithms VRL names: AES-{128,192,256}-{CFB,OFB,CTR,CTR-LE,CTR-BE,
// CBC-PKCS7,CBC-ANSIX923,CBC-ISO7816,CBC-ISO10126} and CHACHA20-POLY1305 (tag appended), all on
// node:crypto. XChaCha20/XSalsa20 have no node:crypto cipher and are refused.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fn, FunctionError, functionError, type VrlFunction } from '../function.js';
import { fromBytes, toBytes } from '../bytes.js';

type Padding = 'PKCS7' | 'ANSIX923' | 'ISO7816' | 'ISO10126';

interface Algorithm {
  cipher: string;
  keyLen: number;
  ivLen: number;
  /** A CBC padding we apply ourselves. */
  padding?: Padding;
  /** CTR with a 64-bit little-endian counter in the IV's first 8 bytes. */
  ctrLe?: boolean;
  aead?: boolean;
}

function algorithm(name: string): Algorithm {
  const chacha = name === 'CHACHA20-POLY1305';
  if (chacha) return { cipher: 'chacha20-poly1305', keyLen: 32, ivLen: 12, aead: true };
  const m =
    /^AES-(128|192|256)-(CFB|OFB|CTR|CTR-LE|CTR-BE|CBC-(PKCS7|ANSIX923|ISO7816|ISO10126))$/.exec(
      name,
    );
  if (m === null) throw functionError(`Invalid algorithm: ${name}`);
  const bits = m[1] as string;
  const mode = m[2] as string;
  const base = { keyLen: Number(bits) / 8, ivLen: 16 };
  if (mode === 'CTR' || mode === 'CTR-LE')
    return { ...base, cipher: `aes-${bits}-ecb`, ctrLe: true };
  if (mode === 'CTR-BE') return { ...base, cipher: `aes-${bits}-ctr` };
  if (mode.startsWith('CBC'))
    return { ...base, cipher: `aes-${bits}-cbc`, padding: m[3] as Padding };
  return { ...base, cipher: `aes-${bits}-${mode.toLowerCase()}` };
}

function pad(data: Buffer, how: Padding): Buffer {
  const n = 16 - (data.length % 16);
  const tail = Buffer.alloc(n);
  if (how === 'PKCS7') tail.fill(n);
  else if (how === 'ANSIX923') tail[n - 1] = n;
  else if (how === 'ISO7816') tail[0] = 0x80;
  else {
    randomBytes(n - 1).copy(tail);
    tail[n - 1] = n;
  }
  return Buffer.concat([data, tail]);
}

function unpad(data: Buffer, how: Padding): Buffer {
  const bad = (): never => {
    throw functionError('unable to decrypt: invalid padding');
  };
  if (data.length === 0 || data.length % 16 !== 0) bad();
  if (how === 'ISO7816') {
    let i = data.length - 1;
    while (i >= data.length - 16 && data[i] === 0) i--;
    if (data[i] !== 0x80) bad();
    return data.subarray(0, i);
  }
  const n = data[data.length - 1] as number;
  if (n < 1 || n > 16) bad();
  const tail = data.subarray(data.length - n, data.length - 1);
  if (how === 'PKCS7' && tail.some((b) => b !== n)) bad();
  if (how === 'ANSIX923' && tail.some((b) => b !== 0)) bad();
  return data.subarray(0, data.length - n);
}

/** CTR with a little-endian 64-bit counter: the keystream is AES-ECB of successive counters. */
function ctrLe(alg: Algorithm, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const ecb = createCipheriv(alg.cipher, key, null);
  ecb.setAutoPadding(false);
  const counter = Buffer.from(iv);
  const out = Buffer.alloc(data.length);
  for (let off = 0; off < data.length; off += 16) {
    const ks = ecb.update(counter);
    for (let i = 0; i < 16 && off + i < data.length; i++)
      out[off + i] = (data[off + i] as number) ^ (ks[i] as number);
    counter.writeBigUInt64LE((counter.readBigUInt64LE(0) + 1n) & 0xffffffffffffffffn, 0);
  }
  return out;
}

function crypt(args: (string | undefined)[], decrypt: boolean): string {
  const [value, name, keyText, ivText] = args as [string, string, string, string];
  const alg = algorithm(name);
  const key = toBytes(keyText);
  const iv = toBytes(ivText);
  if (key.length !== alg.keyLen)
    throw functionError(`Invalid key length: expected ${alg.keyLen} bytes, got ${key.length}`);
  if (iv.length !== alg.ivLen)
    throw functionError(`Invalid iv length: expected ${alg.ivLen} bytes, got ${iv.length}`);
  const data = toBytes(value);
  if (alg.ctrLe) return fromBytes(ctrLe(alg, key, iv, data));
  try {
    if (alg.aead) {
      if (!decrypt) {
        const c = createCipheriv('chacha20-poly1305', key, iv, { authTagLength: 16 });
        const body = Buffer.concat([c.update(data), c.final()]);
        return fromBytes(Buffer.concat([body, c.getAuthTag()]));
      }
      if (data.length < 16) throw functionError('unable to decrypt: ciphertext too short');
      const d = createDecipheriv('chacha20-poly1305', key, iv, { authTagLength: 16 });
      d.setAuthTag(data.subarray(data.length - 16));
      return fromBytes(Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]));
    }
    const c = decrypt ? createDecipheriv(alg.cipher, key, iv) : createCipheriv(alg.cipher, key, iv);
    c.setAutoPadding(false);
    const input = alg.padding !== undefined && !decrypt ? pad(data, alg.padding) : data;
    const out = Buffer.concat([c.update(input), c.final()]);
    return fromBytes(alg.padding !== undefined && decrypt ? unpad(out, alg.padding) : out);
  } catch (e) {
    if (e instanceof FunctionError) throw e;
    throw functionError(`unable to ${decrypt ? 'decrypt' : 'encrypt'}: ${(e as Error).message}`);
  }
}

export const cryptoFunctions: VrlFunction[] = [
  fn(
    'encrypt',
    ['plaintext:string', 'algorithm:string', 'key:string', 'iv:string'],
    (args) => crypt(args as string[], false),
    { fallible: true },
  ),
  fn(
    'decrypt',
    ['ciphertext:string', 'algorithm:string', 'key:string', 'iv:string'],
    (args) => crypt(args as string[], true),
    { fallible: true },
  ),
];
