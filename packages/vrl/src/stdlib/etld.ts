// parse_etld: the effective top-level domain of a host by the Public Suffix List (the npm
// `psl` package's copy), or by a custom list file. Reading a file from a program is refused
// unless the embedder passes a reader (`parseEtldFunction`): a VRL program must not be able to
// probe the server's file system.
import psl from 'psl';
import { fn, functionError, optInt, str, withArgCheck, type VrlFunction } from '../function.js';
import { newObject, type Value, type VObject } from '../value.js';

/** Rules of a list file: exact suffixes, wildcards (`*.x`) and exceptions (`!a.x`). */
export interface SuffixList {
  exact: Set<string>;
  wildcard: Set<string>;
  exception: Set<string>;
}

const RULE = /^[!]?(?:\*\.)?[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*$/u;

export function parseSuffixList(text: string): SuffixList | undefined {
  const list: SuffixList = { exact: new Set(), wildcard: new Set(), exception: new Set() };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().split(/\s/)[0] ?? '';
    if (line === '' || line.startsWith('//')) continue;
    if (!RULE.test(line)) return undefined;
    const rule = line.toLowerCase();
    if (rule.startsWith('!')) list.exception.add(rule.slice(1));
    else if (rule.startsWith('*.')) list.wildcard.add(rule.slice(2));
    else list.exact.add(rule);
  }
  return list.exact.size + list.wildcard.size + list.exception.size > 0 ? list : undefined;
}

/** How many trailing labels form the suffix, and whether a rule (not the `*` default) matched. */
function suffixOf(labels: string[], list: SuffixList): { n: number; known: boolean } {
  for (let n = labels.length; n >= 1; n--) {
    const s = labels.slice(-n).join('.');
    if (list.exception.has(s)) return { n: n - 1, known: true };
    if (list.exact.has(s)) return { n, known: true };
    if (n < labels.length && list.wildcard.has(s)) return { n: n + 1, known: true };
  }
  return { n: 1, known: false };
}

const HOST_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

function etld(host: string, plus: number, list: SuffixList | undefined): VObject {
  const name = host.replace(/\.$/, '').toLowerCase();
  const labels = name.split('.');
  if (name === '' || labels.some((l) => l === ''))
    throw functionError(`unable to determine eTLD for ${host}`);
  let n: number;
  let known: boolean;
  if (list === undefined) {
    // psl checks hostname syntax; labels it refuses (`_dmarc`) cannot be suffix rules anyway.
    const p = psl.parse(labels.map((l) => (HOST_LABEL.test(l) ? l : 'x0')).join('.'));
    if ('error' in p) throw functionError(`unable to determine eTLD for ${host}`);
    const parsed = p;
    n = parsed.tld === null ? 1 : parsed.tld.split('.').length;
    known = parsed.listed;
  } else ({ n, known } = suffixOf(labels, list));
  const out = newObject();
  out['etld'] = labels.slice(-n).join('.');
  out['etld_plus'] = labels.slice(-Math.min(labels.length, n + plus)).join('.');
  out['known_suffix'] = known;
  return out;
}

/** parse_etld with `psl: path` read through `readPsl` (text, or undefined when unreadable). */
export function parseEtldFunction(readPsl?: (path: string) => string | undefined): VrlFunction {
  const lists = new Map<string, SuffixList | string>();
  const load = (path: string): SuffixList | string => {
    const cached = lists.get(path);
    if (cached !== undefined) return cached;
    let text: string | undefined;
    try {
      text = readPsl?.(path);
    } catch {
      text = undefined;
    }
    const list =
      text === undefined
        ? 'Unable to read psl file'
        : (parseSuffixList(text) ?? 'Unable to parse psl file');
    if (lists.size < 64) lists.set(path, list);
    return list;
  };
  return withArgCheck(
    fn(
      'parse_etld',
      ['value:string', 'plus_parts:integer?', 'psl:string?'],
      ([v, plus, path]) => {
        let list: SuffixList | undefined;
        if (path !== undefined && path !== null) {
          const l = load(str(path));
          if (typeof l === 'string') throw functionError(l);
          list = l;
        }
        return etld(str(v), Math.max(0, optInt(plus, 0)), list);
      },
      { fallible: true },
    ),
    ([, , path]: (Value | undefined)[]) => {
      if (typeof path !== 'string') return undefined;
      const l = load(path);
      return typeof l === 'string' ? `invalid argument "psl": ${l}` : undefined;
    },
  );
}

export const etldFunctions: VrlFunction[] = [parseEtldFunction()];
