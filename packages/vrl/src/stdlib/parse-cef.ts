// ArcSight Common Event Format: `CEF:Version|Vendor|Product|Version|ClassId|Name|Severity|ext`.
// Text before `CEF:` (a syslog header) is ignored; the extension is `key=value` pairs whose
// values run up to the next ` key=`.
import { bool, fn, functionError, str, type VrlFunction } from '../function.js';
import { newObject, setField, type VObject } from '../value.js';

const HEADER = [
  'cefVersion',
  'deviceVendor',
  'deviceProduct',
  'deviceVersion',
  'deviceEventClassId',
  'name',
  'severity',
];

const CUSTOM = new Set<string>([
  ...[1, 2, 3, 4].flatMap((i) => [`c6a${i}`, `cfp${i}`]),
  ...[1, 2, 3].map((i) => `cn${i}`),
  ...[1, 2, 3, 4, 5, 6].map((i) => `cs${i}`),
  'deviceCustomDate1',
  'deviceCustomDate2',
  'flexDate1',
  'flexString1',
  'flexString2',
]);

function unescapeHeader(s: string): string {
  return s.replace(/\\([\\|])/g, '$1');
}

function unescapeValue(s: string): string {
  return s.replace(/\\([\\=nr|])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** Splits `text` at unescaped `|`, at most `max` times. */
function splitHeader(text: string, max: number): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && parts.length < max; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '|') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (parts.length < max) return undefined;
  parts.push(text.slice(start));
  return parts;
}

const KEY = /(?<=^|[ ])([\w.[\]-]+)=/g;

function extension(text: string, out: VObject): void {
  const keys = [...text.matchAll(KEY)];
  if (keys.length === 0) {
    if (text.trim() !== '') throw functionError('Could not parse whole line successfully');
    return;
  }
  if (text.slice(0, keys[0]?.index).trim() !== '')
    throw functionError('Could not parse whole line successfully');
  keys.forEach((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const next = keys[i + 1];
    const to = next === undefined ? text.length : (next.index ?? text.length);
    const raw = text.slice(from, to).replace(/ +$/, '');
    setField(out, m[1] as string, unescapeValue(raw));
  });
}

function translate(out: VObject): VObject {
  const res = newObject();
  for (const [k, v] of Object.entries(out)) {
    if (CUSTOM.has(k) && typeof out[`${k}Label`] === 'string') {
      setField(res, out[`${k}Label`] as string, v);
    } else if (k.endsWith('Label') && CUSTOM.has(k.slice(0, -5)) && k.slice(0, -5) in out) {
      continue;
    } else setField(res, k, v);
  }
  return res;
}

export function parseCef(line: string, translateCustom: boolean): VObject {
  const at = line.indexOf('CEF:');
  if (at < 0) throw functionError('Could not parse whole line successfully');
  const parts = splitHeader(line.slice(at + 4), 7);
  if (parts === undefined) throw functionError('Could not parse whole line successfully');
  const out = newObject();
  HEADER.forEach((h, i) => setField(out, h, unescapeHeader(parts[i] as string)));
  extension(parts[7] as string, out);
  return translateCustom ? translate(out) : out;
}

export const cefFunctions: VrlFunction[] = [
  fn(
    'parse_cef',
    ['value:string', 'translate_custom_fields:boolean?'],
    ([v, t]) => parseCef(str(v), bool(t, false)),
    { fallible: true },
  ),
];
