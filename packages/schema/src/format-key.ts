const LOWERCASE_OR_NUMBER = /^[\p{Lowercase}\p{N}]$/u;
const UPPERCASE = /^\p{Uppercase}$/u;

/**
 * O2's `format_key`: ASCII upper-case → lower-case, anything outside `[a-z0-9_]` → `_`;
 * beyond ASCII, Unicode lower-case letters and numbers are kept, upper-case letters are
 * lowered (first code point of the lower-case mapping, as Rust's `to_lowercase().next()`),
 * and everything else becomes `_`. So `@timestamp` → `_timestamp`.
 *
 * ASCII keys (nearly all of them) go through a char-code loop; the Unicode property regexes
 * only run on non-ASCII code points, and callers cache results (see `KeyCache`).
 */
export function formatKey(key: string): string {
  const n = key.length;
  let i = 0;
  // Fast scan: most keys are already valid and are returned without allocating.
  for (; i < n; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  if (i === n) return key;
  let out = key.slice(0, i);
  while (i < n) {
    const c = key.charCodeAt(i);
    if (c < 128) {
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += key[i];
      else if (c >= 65 && c <= 90) out += String.fromCharCode(c + 32);
      else out += '_';
      i++;
      continue;
    }
    const cp = key.codePointAt(i) ?? c;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (LOWERCASE_OR_NUMBER.test(ch)) out += ch;
    else if (UPPERCASE.test(ch)) out += String.fromCodePoint(ch.toLowerCase().codePointAt(0) ?? cp);
    else out += '_';
  }
  return out;
}
