// Word boundaries of case conversion when no `original_case` is given, by name as VRL's
// `excluded_boundaries` spells them: each can be switched off per call.
const isLower = (c: string | undefined): boolean => c !== undefined && /\p{Ll}/u.test(c);
const isUpper = (c: string | undefined): boolean => c !== undefined && /\p{Lu}/u.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && /[0-9]/.test(c);

const DELIMITERS: Record<string, string> = { underscore: '_', hyphen: '-', space: ' ' };

/** Boundary tests between characters a|b (c follows b). */
const BETWEEN: Record<string, (a: string, b: string, c: string | undefined) => boolean> = {
  lower_upper: (a, b) => isLower(a) && isUpper(b),
  upper_digit: (a, b) => isUpper(a) && isDigit(b),
  digit_upper: (a, b) => isDigit(a) && isUpper(b),
  lower_digit: (a, b) => isLower(a) && isDigit(b),
  digit_lower: (a, b) => isDigit(a) && isLower(b),
  acronym: (a, b, c) => isUpper(a) && isUpper(b) && isLower(c),
};

export const BOUNDARY_NAMES = [...Object.keys(DELIMITERS), ...Object.keys(BETWEEN)];

/** Lower-cased words of `s`, split at every boundary not in `excluded`. */
export function splitWords(s: string, excluded: ReadonlySet<string>): string[] {
  const delims = new Set(
    Object.entries(DELIMITERS)
      .filter(([name]) => !excluded.has(name))
      .map(([, ch]) => ch),
  );
  const tests = Object.entries(BETWEEN)
    .filter(([name]) => !excluded.has(name))
    .map(([, t]) => t);
  const chars = Array.from(s);
  const words: string[] = [];
  let cur = '';
  chars.forEach((ch, i) => {
    if (delims.has(ch) || (!/[\p{L}\p{N}_\- ]/u.test(ch) && !excluded.has('space'))) {
      if (cur !== '') words.push(cur);
      cur = '';
      return;
    }
    const prev = chars[i - 1];
    if (cur !== '' && prev !== undefined && tests.some((t) => t(prev, ch, chars[i + 1]))) {
      words.push(cur);
      cur = '';
    }
    cur += ch;
  });
  if (cur !== '') words.push(cur);
  return words.map((w) => w.toLowerCase());
}
