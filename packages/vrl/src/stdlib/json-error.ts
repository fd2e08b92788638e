// serde_json's error text for invalid JSON (VRL shows it): a small validator finds the first
// offending character and what was expected there.
function position(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return `at line ${line} column ${column}`;
}

class Invalid extends Error {
  constructor(
    readonly what: string,
    readonly at: number,
  ) {
    super(what);
  }
}

export function jsonErrorText(text: string): string {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /[ \t\r\n]/.test(text[i] as string)) i++;
  };
  const eof = (what: string): Invalid => new Invalid(`EOF while parsing ${what}`, text.length);
  const str = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) throw eof('a string');
    i++;
  };
  const value = (): void => {
    ws();
    if (i >= text.length) throw eof('a value');
    const c = text[i] as string;
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (i >= text.length) throw eof('an object');
        if (text[i] !== '"') throw new Invalid('key must be a string', i);
        str();
        ws();
        if (text[i] !== ':')
          throw i >= text.length ? eof('an object') : new Invalid('expected `:`', i);
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else throw i >= text.length ? eof('an object') : new Invalid('expected `,` or `}`', i);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else throw i >= text.length ? eof('a list') : new Invalid('expected `,` or `]`', i);
      }
    }
    if (c === '"') return str();
    const lit = /^(true|false|null|-?\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(text.slice(i));
    if (lit === null) throw new Invalid('expected value', i);
    i += lit[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) return `trailing characters ${position(text, i)}`;
    return 'invalid json';
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    return `${e.what} ${position(text, e.what.startsWith('EOF') ? Math.max(0, e.at - 1) : e.at)}`;
  }
}
