import { describe, expect, it } from 'vitest';
import { StoredFileReads } from './stored-file-reads.js';

describe('StoredFileReads', () => {
  it('reports the start of the oldest read still running', () => {
    const reads = new StoredFileReads();
    expect(reads.oldestSince()).toBeUndefined();
    const endFirst = reads.begin(100);
    const endSecond = reads.begin(200);
    expect(reads.oldestSince()).toBe(100);
    endFirst();
    endFirst(); // ending twice is harmless
    expect(reads.oldestSince()).toBe(200);
    endSecond();
    expect(reads.oldestSince()).toBeUndefined();
  });
});
