import { describe, expect, it } from 'vitest';
import { PageCursor, addBuckets } from './partition-run';

describe('a page of rows stitched from partitions searched newest first', () => {
  it('takes page 2 (rows 100..199) from where it falls across three partitions', () => {
    const cursor = new PageCursor(100, 100);
    // The newest partition holds 60 rows: all skipped.
    expect(cursor.next()).toEqual({ from: 100, size: 100 });
    cursor.record(60, 0);
    // The next holds 70: it is asked from row 40, and sends its 30 last rows.
    expect(cursor.next()).toEqual({ from: 40, size: 100 });
    cursor.record(70, 30);
    // The oldest holds 500: the page takes its first 70 rows.
    expect(cursor.next()).toEqual({ from: 0, size: 70 });
    cursor.record(500, 70);
    expect(cursor.wanting).toBe(false);
    // A full page still asks later partitions for their totals only.
    expect(cursor.next()).toEqual({ from: 0, size: 1 });
    cursor.record(9, 0);
    expect(cursor.next()).toEqual({ from: 0, size: 1 });
  });

  it('sums a histogram bucket split by a partition cut', () => {
    const all = [
      { start: 0, count: 0 },
      { start: 60, count: 5 },
    ];
    expect(addBuckets(all, [{ start: 60, count: 2 }])).toEqual([
      { start: 0, count: 0 },
      { start: 60, count: 7 },
    ]);
  });
});
