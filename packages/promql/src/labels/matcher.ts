import { AppError } from '@o2/errors';
import type { Labels } from './labels.js';

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
}

/** A matcher with its regex compiled once; Prometheus anchors regexes and lets `.` match `\n`. */
export class CompiledMatcher implements Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  readonly #re: RegExp | undefined;

  constructor(m: Matcher) {
    this.type = m.type;
    this.name = m.name;
    this.value = m.value;
    this.#re = m.type === '=~' || m.type === '!~' ? compileAnchored(m.value) : undefined;
  }

  matches(value: string): boolean {
    switch (this.type) {
      case '=':
        return value === this.value;
      case '!=':
        return value !== this.value;
      case '=~':
        return this.#re!.test(value);
      case '!~':
        return !this.#re!.test(value);
    }
  }

  /** True when the matcher accepts the empty string, i.e. also selects series lacking the label. */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

export function matchesAll(matchers: readonly CompiledMatcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels.get(m.name))) return false;
  return true;
}

/** Go RE2 leading flag groups like `(?i)` become JS flags; everything else passes through. */
export function compileAnchored(source: string): RegExp {
  let flags = 's';
  let body = source;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    if (lead[1]!.includes('i')) flags += 'i';
    if (lead[1]!.includes('m')) flags += 'm';
    body = body.slice(lead[0].length);
  }
  try {
    return new RegExp(`^(?:${body})$`, flags + 'u');
  } catch {
    try {
      return new RegExp(`^(?:${body})$`, flags);
    } catch (err) {
      throw AppError.invalidArgument(
        `invalid regular expression ${JSON.stringify(source)}: ${(err as Error).message}`,
      );
    }
  }
}
