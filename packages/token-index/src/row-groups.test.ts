import { describe, expect, it } from 'vitest';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import {
  buildTokenIndex,
  tokenIndexInfo,
  tokenIndexMayMatch,
  tokenIndexRowRanges,
} from './index.js';

function logs(values: Array<string | null>): Table {
  return new Table({ log: vectorFromArray(values, new Utf8()) });
}

// 4 row groups of 3, 2, 4 and 1 rows.
const ROWS = [
  ...['GET /api/v1 200 ok', 'disk full', null],
  ...['user quokka_7f3a logged in', 'ok'],
  ...['error: timeout', 'retry', 'ok', 'done'],
  'quokka_7f3a again',
];
const GROUPS = [3, 2, 4, 1];

describe('token index row groups', () => {
  it('keeps the file-level bytes of an index without groups (old readers stop there)', () => {
    const plain = buildTokenIndex(logs(ROWS), ['log']);
    const grouped = buildTokenIndex(logs(ROWS), ['log'], { rowGroups: GROUPS });
    expect(grouped.length).toBeGreaterThan(plain.length);
    expect(Buffer.from(grouped.subarray(0, plain.length)).equals(Buffer.from(plain))).toBe(true);
    expect(tokenIndexInfo(grouped).rowGroups).toBe(4);
    expect(tokenIndexInfo(plain).rowGroups).toBeUndefined();
    // Without its blocks part (an index written before it), a group is read whole.
    const cut = grouped.subarray(0, Buffer.from(grouped).lastIndexOf('O2RP'));
    expect(tokenIndexRowRanges(cut, ['quokka_7f3a'])).toEqual([
      [3, 5],
      [9, 10],
    ]);
    expect(tokenIndexRowRanges(grouped, ['quokka_7f3a'])).toEqual([
      [3, 4],
      [9, 10],
    ]);
  });

  it('names the rows, by each group postings, that may hold every term', () => {
    const index = buildTokenIndex(logs(ROWS), ['log'], { rowGroups: GROUPS });
    expect(tokenIndexRowRanges(index, ['quokka_7f3a'])).toEqual([
      [3, 4],
      [9, 10],
    ]);
    // Substrings, prefixes and whole tokens, as match_all reads them.
    expect(tokenIndexRowRanges(index, ['okka'])).toEqual([
      [3, 4],
      [9, 10],
    ]);
    expect(tokenIndexRowRanges(index, ['timeout'])).toEqual([[5, 6]]);
    // Every piece narrows, and the terms' rows intersect: none holds both.
    expect(tokenIndexRowRanges(index, ['error', 'retry'])).toEqual([]);
    expect(tokenIndexRowRanges(index, ['error:', 'time'])).toEqual([[5, 6]]);
    // Adjacent rows merge into one range; every group read whole says "read it whole".
    expect(tokenIndexRowRanges(index, ['ok'])).toEqual([
      [0, 1],
      [3, 5],
      [7, 8],
      [9, 10],
    ]);
    expect(tokenIndexRowRanges(index, ['d'])).toEqual([
      [1, 2],
      [3, 4],
      [8, 9],
    ]);
    // Terms that each occur, but never in one group: the file may match, no group can.
    expect(tokenIndexMayMatch(index, 'timeout')).toBe(true);
    expect(tokenIndexMayMatch(index, 'disk')).toBe(true);
    expect(tokenIndexRowRanges(index, ['timeout', 'disk'])).toEqual([]);
    // A field the index does not cover: no claim.
    expect(tokenIndexRowRanges(index, ['timeout'], ['log', 'message'])).toBeUndefined();
  });

  it('falls back to each group n-gram bitmap when its token list is over the limit', () => {
    const index = buildTokenIndex(logs(ROWS), ['log'], {
      rowGroups: GROUPS,
      maxTokenListBytes: 12,
    });
    expect(tokenIndexInfo(index).tokens).toBeUndefined();
    // Group 1's list (and so its postings) is over the limit: its trigrams' blocks narrow it
    // ("qu", "uok", ... lie in row 3 only), and group 2's "tim" lies in its first row only.
    expect(tokenIndexRowRanges(index, ['quokka_7f3a'])).toEqual([
      [3, 4],
      [9, 10],
    ]);
    expect(tokenIndexRowRanges(index, ['timeout'])).toEqual([[5, 6]]);
    // Single-block trigrams in different rows of one group: no row holds both terms.
    expect(tokenIndexRowRanges(index, ['timeout', 'retry'])).toEqual([]);
    // A bounded piece counts its boundary trigrams ("~ok", "ok~"); an unbounded piece of two
    // symbols has none, so every group that may hold it is read whole.
    expect(tokenIndexRowRanges(index, [' ok '])).toEqual([
      [0, 1],
      [4, 5],
      [7, 8],
    ]);
    expect(tokenIndexRowRanges(index, ['ok'])).toBeUndefined();
    // Without its trigram part (an index written before it), such a group is read whole.
    const cut = index.subarray(0, Buffer.from(index).lastIndexOf('O2TB'));
    expect(tokenIndexRowRanges(cut, ['quokka_7f3a'])).toEqual([
      [3, 5],
      [9, 10],
    ]);
    expect(tokenIndexRowRanges(cut, ['timeout'])).toEqual([[5, 9]]);
    // A trigram part whose length does not match its group's bitmap is not trusted.
    const bad = Uint8Array.from(index);
    const at = Buffer.from(bad).lastIndexOf('O2TB') + 8; // the first group's length
    new DataView(bad.buffer).setUint32(at, new DataView(bad.buffer).getUint32(at) - 1);
    expect(() => tokenIndexRowRanges(bad, ['timeout'])).toThrow();
  });

  it('reads an index without groups (older files) as one unit', () => {
    const plain = buildTokenIndex(logs(ROWS), ['log']);
    expect(tokenIndexRowRanges(plain, ['quokka_7f3a'])).toBeUndefined();
    // Row counts that do not add up to the table are not trusted.
    const wrong = buildTokenIndex(logs(ROWS), ['log'], { rowGroups: [3, 3] });
    expect(tokenIndexRowRanges(wrong, ['quokka_7f3a'])).toBeUndefined();
  });

  it('bounds the index: shared token budget, and files of very many groups as one unit', () => {
    // Budget of 4 x 40 bytes: later groups keep only their bitmap, answers unchanged.
    const tight = buildTokenIndex(logs(ROWS), ['log'], {
      rowGroups: GROUPS,
      maxTokenListBytes: 40,
    });
    expect(tokenIndexRowRanges(tight, ['quokka_7f3a'])).toEqual([
      [3, 4],
      [9, 10],
    ]);
    const many = Array.from({ length: 300 }, (_, i) => `row ${i}`);
    const index = buildTokenIndex(logs(many), ['log'], { rowGroups: many.map(() => 1) });
    expect(tokenIndexInfo(index).rowGroups).toBeUndefined();
    expect(tokenIndexRowRanges(index, ['row'])).toBeUndefined();
  });
  it('never leaves out a row whose value holds the term (random text, many terms)', () => {
    // Seeded LCG: the same rows and terms every run.
    let seed = 42;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const words = ['Err', 'ok', 'tImeout', 'dísk', 'İd', 'a1', 'zq', 'x-y', 'K8s', '__', 'rare42'];
    const rows = Array.from(
      { length: 700 },
      (_, i) =>
        i % 97 === 5
          ? null
          : Array.from({ length: 1 + next(4) }, () => words[next(words.length)]).join(
              next(2) === 0 ? ' ' : '',
            ) + (i % 7 === 0 ? ` Q${next(50)}z` : ''), // tokens of ~2 rows, some blocks apart
    );
    // DuckDB's lower(): one code point to one (JS lowers İ to two).
    const lower = (text: string): string =>
      [...text].map((c) => (c === 'İ' ? 'i' : c.toLowerCase())).join('');
    const terms = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const row = rows[next(rows.length)];
      if (row === null || row === undefined || row.length === 0) continue;
      const from = next(row.length);
      terms.add(lower(row.slice(from, from + 1 + next(6))));
    }
    for (let k = 0; k < 50; k += 3) terms.add(`q${k}z`).add(`${k}z`);
    const list = [...terms];
    // Groups of 10 rows (blocks of one row), and groups of 350 and 600 (blocks of 2 and 3).
    // Each also with no token list kept (every group narrowed by its trigrams' blocks).
    for (const [groups, maxTokenListBytes] of [
      [Array.from({ length: 70 }, () => 10), undefined],
      [[350, 350], undefined],
      [[600, 100], undefined],
      [Array.from({ length: 70 }, () => 10), 0],
      [[350, 350], 0],
    ] as const) {
      const index = buildTokenIndex(logs(rows), ['log'], { rowGroups: groups, maxTokenListBytes });
      let narrowed = 0;
      // Single terms, and pairs (every term must hold in the row).
      for (const query of [...list.map((t) => [t]), ...list.map((t, i) => [t, list[i >> 1]!])]) {
        const ranges = tokenIndexRowRanges(index, query);
        if (ranges !== undefined) narrowed++;
        rows.forEach((value, r) => {
          if (value === null || !query.every((t) => lower(value).includes(t))) return;
          const inside = ranges === undefined || ranges.some(([a, b]) => r >= a && r < b);
          expect({ query, row: r, inside }).toEqual({ query, row: r, inside: true });
        });
      }
      // The check means something only if many queries were narrowed to some blocks.
      expect(narrowed).toBeGreaterThan(groups.length > 2 ? list.length : 20);
    }
  });
});
