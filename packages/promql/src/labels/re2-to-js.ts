function swapCase(c: string): string {
  const lower = c.toLowerCase();
  return lower === c ? c.toUpperCase() : lower;
}

function isLetter(c: string): boolean {
  return c.toLowerCase() !== c.toUpperCase();
}

/** Copies a character class starting at `i` (the `[`), adding other-case letters when `ci`. */
function copyClass(src: string, i: number, ci: boolean): [string, number] {
  let j = i + 1;
  let body = '';
  if (src[j] === '^') body += src[j++];
  if (src[j] === ']') body += '\\' + src[j++];
  const extra: string[] = [];
  while (j < src.length && src[j] !== ']') {
    const c = src[j]!;
    if (c === '\\') {
      body += c + (src[j + 1] ?? '');
      j += 2;
      continue;
    }
    if (src.startsWith('[:', j)) {
      const end = src.indexOf(':]', j);
      const name = src.slice(j + 2, end);
      body += POSIX[name] ?? '';
      j = end + 2;
      continue;
    }
    if (ci && isLetter(c)) {
      if (
        src[j + 1] === '-' &&
        src[j + 2] !== undefined &&
        src[j + 2] !== ']' &&
        isLetter(src[j + 2]!)
      ) {
        extra.push(`${swapCase(c)}-${swapCase(src[j + 2]!)}`);
      } else extra.push(swapCase(c));
    }
    body += c;
    j++;
  }
  return [`[${body}${extra.join('')}]`, j + 1];
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\t\\n\\v\\f\\r ',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
};

/**
 * Translates RE2 syntax that JavaScript (Node 20) lacks: inline flag groups `(?i)` / `(?i:...)`
 * become explicit case alternatives, `(?P<name>` becomes `(?<name>`, POSIX classes expand.
 */
export function re2ToJs(src: string): string {
  let out = '';
  const stack: boolean[] = [];
  let ci = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const next = src[i + 1] ?? '';
      if (next === 'z') out += '$';
      else if (next === 'A') out += '^';
      else if (ci && isLetter(next) && !/[dDwWsSbBpPnrtfvx]/.test(next))
        out += `[${next}${swapCase(next)}]`;
      else out += c + next;
      i += 2;
      continue;
    }
    if (c === '[') {
      const [cls, j] = copyClass(src, i, ci);
      out += cls;
      i = j;
      continue;
    }
    if (c === '(') {
      const flags = /^\(\?([a-zA-Z-]*)(\)|:)/.exec(src.slice(i));
      if (flags && flags[1] !== 'P') {
        const on = flags[1]!.split('-')[0]!.includes('i');
        const off = (flags[1]!.split('-')[1] ?? '').includes('i');
        const newCi: boolean = off ? false : on ? true : ci;
        if (flags[2] === ')') ci = newCi;
        else {
          stack.push(ci);
          ci = newCi;
          out += '(?:';
        }
        i += flags[0].length;
        continue;
      }
      if (src.startsWith('(?P<', i)) {
        stack.push(ci);
        out += '(?<';
        i += 4;
        continue;
      }
      stack.push(ci);
      out += c;
      i++;
      continue;
    }
    if (c === ')') {
      ci = stack.pop() ?? false;
      out += c;
      i++;
      continue;
    }
    out += ci && isLetter(c) ? `[${c}${swapCase(c)}]` : c;
    i++;
  }
  return out;
}
