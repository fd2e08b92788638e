/**
 * PromQL accepts a trailing decimal point (`2.`, `1./6.`) but the lezer grammar does not. Outside
 * string literals and comments, such a dot is replaced by a space: same value, same length, so
 * error positions still point into the original text.
 */
export function normalizeTrailingDots(query: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (quote) {
      out += c;
      if (c === '\\' && quote !== '`') out += query[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    if (c === '#') {
      const end = query.indexOf('\n', i);
      const stop = end < 0 ? query.length : end;
      out += query.slice(i, stop);
      i = stop - 1;
      continue;
    }
    if (c === '.' && /\d/.test(query[i - 1] ?? '') && !/[\d.]/.test(query[i + 1] ?? '')) {
      let j = i - 1;
      while (j >= 0 && /\d/.test(query[j]!)) j--;
      if (j < 0 || !/[A-Za-z_:]/.test(query[j]!)) {
        out += ' ';
        continue;
      }
    }
    out += c;
  }
  return out;
}
