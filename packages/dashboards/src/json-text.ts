/**
 * Edits to the top level of a JSON object *as text*. A dashboard is stored as the bytes the client
 * sent, so an export comes back byte for byte; the few keys the server owns (`dashboardId`,
 * `owner`, `created`, `version`) are spliced in here instead of re-serialising the document, which
 * would reorder integer-like keys, rewrite `1.0` as `1` and unescape `\u00e9`. Every function
 * expects text that `JSON.parse` already accepted as an object.
 */

interface Member {
  key: string;
  valueStart: number;
  valueEnd: number;
}

function skipSpace(text: string, i: number): number {
  let at = i;
  while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  return at;
}

/** End (exclusive) of the string token starting at the quote at `i`. */
function stringEnd(text: string, i: number): number {
  let at = i + 1;
  while (at < text.length) {
    const c = text[at]!;
    if (c === '\\') at += 2;
    else if (c === '"') return at + 1;
    else at++;
  }
  return at;
}

/** End (exclusive) of the JSON value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return stringEnd(text, i);
  if (first === '{' || first === '[') {
    let depth = 0;
    let at = i;
    while (at < text.length) {
      const c = text[at]!;
      if (c === '"') {
        at = stringEnd(text, at);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return at + 1;
      }
      at++;
    }
    return at;
  }
  let at = i;
  while (at < text.length && !',}] \t\n\r'.includes(text[at]!)) at++;
  return at;
}

interface ObjectLayout {
  members: Member[];
  /** Index of the closing brace. */
  close: number;
}

function layout(text: string): ObjectLayout {
  let at = skipSpace(text, 0);
  if (text[at] !== '{') throw new TypeError('not a JSON object');
  at = skipSpace(text, at + 1);
  const members: Member[] = [];
  while (text[at] !== '}') {
    const keyEnd = stringEnd(text, at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    at = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const end = valueEnd(text, at);
    members.push({ key, valueStart: at, valueEnd: end });
    at = skipSpace(text, end);
    if (text[at] === ',') at = skipSpace(text, at + 1);
  }
  return { members, close: at };
}

/**
 * `text` with top-level `key` set to `valueJson` (JSON text): its value is replaced where the key
 * exists (the last occurrence, the one `JSON.parse` reads), else the member is appended.
 */
export function setTopLevel(text: string, key: string, valueJson: string): string {
  const { members, close } = layout(text);
  const found = members.filter((m) => m.key === key).at(-1);
  if (found !== undefined)
    return text.slice(0, found.valueStart) + valueJson + text.slice(found.valueEnd);
  const last = members.at(-1);
  const member = `${JSON.stringify(key)}:${valueJson}`;
  if (last === undefined) return text.slice(0, close) + member + text.slice(close);
  return text.slice(0, last.valueEnd) + ',' + member + text.slice(last.valueEnd);
}

/** The raw JSON text of top-level `key`, or undefined when absent. */
export function topLevelText(text: string, key: string): string | undefined {
  const found = layout(text)
    .members.filter((m) => m.key === key)
    .at(-1);
  return found === undefined ? undefined : text.slice(found.valueStart, found.valueEnd);
}
