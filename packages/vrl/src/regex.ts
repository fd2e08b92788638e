// Rust `regex` syntax → a JS RegExp: named groups `(?P<n>…)`, leading inline flags `(?i)`,
// `\A`/`\z` anchors and POSIX classes are rewritten; the pattern text VRL shows is kept as is.
import { VRegex } from './value.js';

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
  word: '\\w',
};

export function compileRegex(source: string, extraFlags = ''): RegExp {
  let pattern = source;
  let flags = extraFlags;
  for (;;) {
    const m = /^\(\?([imsxU]+)\)/.exec(pattern);
    if (m === null) break;
    for (const f of m[1] as string) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    pattern = pattern.slice(m[0].length);
  }
  pattern = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(\w+):\]/g, (all, name: string) => POSIX[name] ?? all);
  try {
    return new RegExp(pattern, `${flags}u`);
  } catch {
    return new RegExp(pattern, flags);
  }
}

export function makeRegex(source: string): VRegex {
  return new VRegex(source, compileRegex(source));
}

/** A regex for repeated matching (`g`), derived once per use site. */
export function globalRegex(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
}
