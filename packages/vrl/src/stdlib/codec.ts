// Encodings and hashes: JSON, base64/base16, percent, gzip/zlib, md5/sha*/hmac, key=value.
import { createHash, createHmac } from 'node:crypto';
import { deflateSync, gzipSync, gunzipSync, inflateSync } from 'node:zlib';
import { bool, fn, functionError, optStr, type VrlFunction } from '../function.js';
import { encodeJson, fromJson, isObject, type Value, type VObject } from '../value.js';
import { fromBytes, toBytes } from '../bytes.js';
import { jsonErrorText } from './json-error.js';

function parseJsonText(text: string, maxDepth?: number): Value {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    void e;
    throw functionError(`unable to parse json: ${jsonErrorText(text)}`);
  }
  const v = fromJson(parsed);
  if (maxDepth === undefined) return v;
  const cut = (x: Value, depth: number): Value => {
    if (!isObject(x) && !Array.isArray(x)) return x;
    if (depth >= maxDepth) return encodeJson(x);
    if (Array.isArray(x)) return x.map((y) => cut(y, depth + 1));
    const out: VObject = {};
    for (const k of Object.keys(x)) out[k] = cut(x[k] as Value, depth + 1);
    return out;
  };
  return cut(v, 0);
}

const hash = (alg: string, s: string): string => createHash(alg).update(s).digest('hex');

const PERCENT_SETS: Record<string, RegExp> = {
  NON_ALPHANUMERIC: /[^A-Za-z0-9]/,
  CONTROLS: /[\x00-\x1f\x7f]/, // eslint-disable-line no-control-regex
  FRAGMENT: /[\x00-\x20\x7f"<>`]/, // eslint-disable-line no-control-regex
  QUERY: /[\x00-\x20\x7f"#<>]/, // eslint-disable-line no-control-regex
  SPECIAL: /[\x00-\x20\x7f"#<>']/, // eslint-disable-line no-control-regex
  PATH: /[\x00-\x20\x7f"#<>?`{}]/, // eslint-disable-line no-control-regex
  USERINFO: /[\x00-\x20\x7f"#<>?`{}/:;=@[\\\]^|]/, // eslint-disable-line no-control-regex
  COMPONENT: /[\x00-\x20\x7f"#<>?`{}/:;=@[\\\]^|$%&+,]/, // eslint-disable-line no-control-regex
  WWW_FORM_URLENCODED: /[^A-Za-z0-9*\-._]/,
};

function percentEncode(s: string, set: string): string {
  const re = PERCENT_SETS[set] ?? PERCENT_SETS['NON_ALPHANUMERIC'];
  let out = '';
  for (const b of toBytes(s)) {
    const ch = String.fromCharCode(b);
    out +=
      b >= 0x80 || (re as RegExp).test(ch)
        ? `%${b.toString(16).toUpperCase().padStart(2, '0')}`
        : ch;
  }
  return out;
}

function b64(s: string, charset: string, padding: boolean): string {
  let out = toBytes(s).toString(charset === 'url_safe' ? 'base64url' : 'base64');
  if (charset === 'url_safe' && padding) while (out.length % 4 !== 0) out += '=';
  if (!padding) out = out.replace(/=+$/, '');
  return out;
}

const bytesOf = toBytes;

/** The gzip header's OS byte set to 255 ("unknown"), as VRL's encoder writes it. */
function gzipUnknownOs(buf: Buffer): string {
  buf[9] = 0xff;
  return fromBytes(buf);
}
const textOf = fromBytes;

export const codecFunctions: VrlFunction[] = [
  fn(
    'parse_json',
    ['value:string', 'max_depth:integer?', 'lossy:boolean?'],
    ([v, d]) => parseJsonText(v as string, typeof d === 'number' ? d : undefined),
    { fallible: true },
  ),
  fn('encode_json', ['value', 'pretty:boolean?'], ([v, p]) => {
    const json = JSON.parse(encodeJson(v ?? null)) as unknown;
    return bool(p, false) ? JSON.stringify(json, null, 2) : JSON.stringify(json);
  }),
  fn('encode_base64', ['value:string', 'padding:boolean?', 'charset:string?'], ([v, p, c]) =>
    b64(v as string, optStr(c, 'standard'), bool(p, true)),
  ),
  fn(
    'decode_base64',
    ['value:string', 'charset:string?'],
    ([v, c]) => {
      const s = (v as string).trim();
      const url = optStr(c, 'standard') === 'url_safe';
      if (!(url ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/).test(s)) {
        throw functionError('unable to decode value from base64');
      }
      return fromBytes(Buffer.from(s, url ? 'base64url' : 'base64'));
    },
    { fallible: true },
  ),
  fn('encode_base16', ['value:string'], ([v]) => toBytes(v as string).toString('hex')),
  fn(
    'decode_base16',
    ['value:string'],
    ([v]) => {
      if (!/^([0-9a-fA-F]{2})*$/.test(v as string))
        throw functionError('unable to decode value from base16');
      return fromBytes(Buffer.from(v as string, 'hex'));
    },
    { fallible: true },
  ),
  fn('encode_percent', ['value:string', 'ascii_set:string?'], ([v, set]) =>
    percentEncode(v as string, optStr(set, 'NON_ALPHANUMERIC')),
  ),
  fn('decode_percent', ['value:string'], ([v]) => {
    try {
      return decodeURIComponent(v as string);
    } catch {
      return unescape(v as string);
    }
  }),
  fn('md5', ['value:string'], ([v]) => hash('md5', v as string)),
  fn('sha1', ['value:string'], ([v]) => hash('sha1', v as string)),
  fn('sha2', ['value:string', 'variant:string?'], ([v, variant]) => {
    const algs: Record<string, string> = {
      'SHA-224': 'sha224',
      'SHA-256': 'sha256',
      'SHA-384': 'sha384',
      'SHA-512': 'sha512',
      'SHA-512/224': 'sha512-224',
      'SHA-512/256': 'sha512-256',
    };
    const alg = algs[optStr(variant, 'SHA-512/256')];
    if (alg === undefined) throw functionError('invalid variant');
    return hash(alg, v as string);
  }),
  fn('sha3', ['value:string', 'variant:string?'], ([v, variant]) => {
    const alg = {
      'SHA3-224': 'sha3-224',
      'SHA3-256': 'sha3-256',
      'SHA3-384': 'sha3-384',
      'SHA3-512': 'sha3-512',
    }[optStr(variant, 'SHA3-512')];
    if (alg === undefined) throw functionError('invalid variant');
    return hash(alg, v as string);
  }),
  fn('hmac', ['value:string', 'key:string', 'algorithm:string?'], ([v, k, a]) => {
    const algs: Record<string, string> = {
      SHA1: 'sha1',
      'SHA-224': 'sha224',
      'SHA-256': 'sha256',
      'SHA-384': 'sha384',
      'SHA-512': 'sha512',
    };
    const alg = algs[optStr(a, 'SHA-256')];
    if (alg === undefined) throw functionError('invalid algorithm');
    return textOf(
      createHmac(alg, k as string)
        .update(v as string)
        .digest(),
    );
  }),
  fn('encode_gzip', ['value:string', 'compression_level:integer?'], ([v, l]) =>
    gzipUnknownOs(gzipSync(toBytes(v as string), typeof l === 'number' ? { level: l } : {})),
  ),
  fn(
    'decode_gzip',
    ['value:string'],
    ([v]) => {
      try {
        return fromBytes(gunzipSync(bytesOf(v as string)));
      } catch {
        throw functionError('unable to decode value with Gzip decoder');
      }
    },
    { fallible: true },
  ),
  fn('encode_zlib', ['value:string', 'compression_level:integer?'], ([v, l]) =>
    textOf(deflateSync(toBytes(v as string), typeof l === 'number' ? { level: l } : {})),
  ),
  fn(
    'decode_zlib',
    ['value:string'],
    ([v]) => {
      try {
        return fromBytes(inflateSync(bytesOf(v as string)));
      } catch {
        throw functionError('unable to decode value with Zlib decoder');
      }
    },
    { fallible: true },
  ),
];
