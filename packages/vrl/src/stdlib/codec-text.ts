// Text in other character sets: decode_charset/encode_charset (iconv-lite, loaded on first use)
// and MIME encoded-words (RFC 2047: `=?charset?B|Q?text?=`) with decode_mime_q.
import { createRequire } from 'node:module';
import { fn, functionError, type VrlFunction } from '../function.js';
import { fromBytes, toBytes } from '../bytes.js';

import type * as IconvLite from 'iconv-lite';

type Iconv = typeof IconvLite;
let iconvModule: Iconv | undefined;
function iconv(): Iconv {
  iconvModule ??= createRequire(import.meta.url)('iconv-lite') as Iconv;
  return iconvModule;
}

function checkCharset(name: string): void {
  const message = `Unknown charset: ${name}`;
  if (!iconv().encodingExists(name)) throw functionError(message);
}

function decodeWord(charset: string, encoding: string, text: string): string {
  const bytes =
    encoding.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        );
  const cs = charset === '' ? 'utf-8' : charset.replace(/\*.*$/, ''); // RFC 2231 language tag
  checkCharset(cs);
  return iconv().decode(bytes, cs);
}

const WORD = /=\?([^?]*)\?([bBqQ])\?([^?]*)\?=/g;

function decodeMimeQ(input: string): string {
  const bare = /^\?([bBqQ])\?([^?]*)(?:\?=)?$/.exec(input);
  if (bare !== null) return decodeWord('', bare[1] as string, bare[2] as string);
  // Whitespace between two adjacent encoded-words is not part of the text (RFC 2047 §6.2).
  const joined = input.replace(/(\?=)\s+(?==\?[^?]*\?[bBqQ]\?)/g, '$1');
  return joined.replace(WORD, (_, cs: string, enc: string, text: string) =>
    decodeWord(cs, enc, text),
  );
}

export const textCodecFunctions: VrlFunction[] = [
  fn(
    'decode_charset',
    ['value:string', 'from_charset:string'],
    ([v, cs]) => {
      checkCharset(cs as string);
      return iconv().decode(toBytes(v as string), cs as string);
    },
    { fallible: true },
  ),
  fn(
    'encode_charset',
    ['value:string', 'to_charset:string'],
    ([v, cs]) => {
      checkCharset(cs as string);
      return fromBytes(iconv().encode(v as string, cs as string));
    },
    { fallible: true },
  ),
  fn('decode_mime_q', ['value:string'], ([v]) => decodeMimeQ(v as string), { fallible: true }),
];
