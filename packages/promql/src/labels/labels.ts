/**
 * A label set kept sorted by name. Sorted order makes equality, hashing and output stable without
 * re-sorting per sample, and the cached `key` turns series identity into one string compare.
 */
export interface Label {
  readonly name: string;
  readonly value: string;
}

export const METRIC_NAME = '__name__';

/** Separator that cannot appear in valid UTF-8 label text, so keys never collide. */
const SEP = '\u{fffe}';

export class Labels {
  readonly list: readonly Label[];
  #key: string | undefined;

  private constructor(list: readonly Label[]) {
    this.list = list;
  }

  static readonly EMPTY = new Labels([]);

  /** Builds from unsorted pairs; empty values are dropped (an empty label is an absent label). */
  static from(pairs: Iterable<readonly [string, string]> | Record<string, string>): Labels {
    const entries = Symbol.iterator in pairs ? [...pairs] : Object.entries(pairs);
    const list = entries
      .filter(([, v]) => v !== '')
      .map(([name, value]) => ({ name, value }))
      .sort((a, b) => compareStrings(a.name, b.name));
    return new Labels(list);
  }

  /** Wraps an already sorted, non-empty-valued list without copying. */
  static sorted(list: readonly Label[]): Labels {
    return new Labels(list);
  }

  get key(): string {
    this.#key ??= this.list.map((l) => l.name + SEP + l.value).join(SEP + SEP);
    return this.#key;
  }

  get size(): number {
    return this.list.length;
  }

  get(name: string): string {
    for (const l of this.list) if (l.name === name) return l.value;
    return '';
  }

  has(name: string): boolean {
    return this.list.some((l) => l.name === name);
  }

  /** A new set with `name` set to `value` (removed when `value` is empty). */
  with(name: string, value: string): Labels {
    const out = this.list.filter((l) => l.name !== name);
    if (value !== '') {
      let i = 0;
      while (i < out.length && compareStrings(out[i]!.name, name) < 0) i++;
      out.splice(i, 0, { name, value });
    }
    return new Labels(out);
  }

  without(names: ReadonlySet<string>): Labels {
    if (!this.list.some((l) => names.has(l.name))) return this;
    return new Labels(this.list.filter((l) => !names.has(l.name)));
  }

  only(names: ReadonlySet<string>): Labels {
    return new Labels(this.list.filter((l) => names.has(l.name)));
  }

  dropName(): Labels {
    return this.has(METRIC_NAME) ? this.without(NAME_SET) : this;
  }

  /** Identity of the values of the given label names (`on`) or of all others (`ignoring`). */
  signature(names: ReadonlySet<string>, on: boolean): string {
    let s = '';
    for (const l of this.list) {
      if (names.has(l.name) === on) s += l.name + SEP + l.value + SEP + SEP;
    }
    return s;
  }

  equals(other: Labels): boolean {
    return this.key === other.key;
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const l of this.list) out[l.name] = l.value;
    return out;
  }

  /** Prometheus's text form: `name{a="b", c="d"}`. */
  toString(): string {
    const name = this.get(METRIC_NAME);
    const rest = this.list
      .filter((l) => l.name !== METRIC_NAME)
      .map((l) => `${l.name}=${JSON.stringify(l.value)}`);
    return rest.length === 0 && name !== '' ? name : `${name}{${rest.join(', ')}}`;
  }
}

export const NAME_SET: ReadonlySet<string> = new Set([METRIC_NAME]);

/** Byte-order comparison like Go's string compare (UTF-16 order matches it for the BMP). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.list.length, b.list.length);
  for (let i = 0; i < n; i++) {
    const x = a.list[i]!;
    const y = b.list[i]!;
    if (x.name !== y.name) return compareStrings(x.name, y.name);
    if (x.value !== y.value) return compareStrings(x.value, y.value);
  }
  return a.list.length - b.list.length;
}
