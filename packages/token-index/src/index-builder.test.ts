import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import { SeededRandom } from '@o2/testing';
import { buildTokenIndex } from './index.js';

/**
 * Values that reach every branch of the builder's byte loop: ASCII words in both cases and
 * digits, separators of several kinds, 2-, 3- and 4-byte UTF-8 (including İ and the Kelvin
 * sign, whose lower case is ASCII), tokens far longer than the builder's first buffer, many
 * distinct tokens (its tables grow) and many repeated ones, nulls and empty strings.
 */
function corpus(rows: number): Array<string | null> {
  const random = new SeededRandom(42);
  const next = (): number => random.next();
  const pick = <T>(items: readonly T[]): T => random.pick(items);
  const common = ['GET', 'error', 'ok', 'Timeout', 'user', 'pod', 'kube', 'db01', '200', 'é'];
  const separators = [' ', '  ', '/', ': ', '-', '_', '.', '\n', '\t', '=', '"'];
  const others = ['İ', 'K', 'ß', 'Ω', '日本', '🙂', 'ﬁ', 'Straße'];
  const values: Array<string | null> = [];
  for (let row = 0; row < rows; row++) {
    const kind = next();
    if (kind < 0.03) values.push(null);
    else if (kind < 0.05) values.push('');
    else {
      const words: string[] = [];
      for (let w = 0, n = 1 + Math.floor(next() * 12); w < n; w++) {
        const shape = next();
        if (shape < 0.5) words.push(pick(common));
        else if (shape < 0.75) words.push(`id${Math.floor(next() * 5000).toString(36)}`);
        else if (shape < 0.9) words.push(pick(others) + pick(common));
        else if (shape < 0.97) words.push(`${pick(common)}x${next().toString(36).slice(2)}`);
        else words.push('long'.repeat(10 + Math.floor(next() * 40)));
        words.push(pick(separators));
      }
      values.push(words.join(''));
    }
  }
  return values;
}

const digest = (index: Uint8Array): string =>
  createHash('sha256').update(index).digest('hex').slice(0, 16);

describe('token index builder', () => {
  // Digests of what the builder wrote before its byte loop and token table were rewritten
  // (symbol by symbol through a callback, tokens in a Map of objects): an index's bytes are
  // its format, so the rewrite must not move one — with every token list kept, with lists that
  // overflow part-way through a value, and with none.
  it.each([
    ['every list kept', undefined, '03cab448d759c8e6 0cc47be85a3570ba'],
    [
      "the groups' lists kept, the file's over its limit",
      30_000,
      '6f66c91d1e43bedf ef904f42ab30be93',
    ],
    [
      'lists over their limit part-way through a group',
      15_000,
      '77cc732e5119a9f6 ef904f42ab30be93',
    ],
    ['n-gram bitmaps only', 0, '833db0caf8977ef2 ef904f42ab30be93'],
  ])('writes the same bytes as before (%s)', (_name, maxTokenListBytes, expected) => {
    const table = new Table({ log: vectorFromArray(corpus(3000), new Utf8()) });
    const options = maxTokenListBytes === undefined ? {} : { maxTokenListBytes };
    const grouped = buildTokenIndex(table, ['log'], { ...options, rowGroups: [1200, 1200, 600] });
    const whole = buildTokenIndex(table, ['log'], options);
    expect(`${digest(grouped)} ${digest(whole)}`).toBe(expected);
  });
});
