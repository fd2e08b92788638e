import { AppError } from '@o2/errors';
import type { Labels } from './labels.js';
import { re2ToJs } from './re2-to-js.js';

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

/** Compiles an RE2 pattern as Prometheus does: fully anchored, `.` matching newlines. */
export function compileAnchored(source: string): RegExp {
  const body = re2ToJs(source);
  try {
    return new RegExp(`^(?:${body})$`, 'su');
  } catch {
    try {
      return new RegExp(`^(?:${body})$`, 's');
    } catch (err) {
      throw AppError.invalidArgument(
        `invalid regular expression ${JSON.stringify(source)}: ${(err as Error).message}`,
      );
    }
  }
}
