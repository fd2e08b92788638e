import { describe, expect, it } from 'vitest';
import { compactionDecodedBytes, decodedBatchBytes, memTableBudget } from './memory-budget.js';

const MB = 1024 * 1024;
const settings = (budget: number, max = 1024) => ({
  ZO_MEM_TABLE_BUDGET: budget,
  ZO_MEM_TABLE_MAX_SIZE: max,
});

describe('memory budget', () => {
  it('takes the budget within ZO_MEM_TABLE_MAX_SIZE, or that cap when the budget is 0', () => {
    expect(memTableBudget(settings(256))).toEqual({ memLimit: 1024 * MB, memBudget: 256 * MB });
    expect(memTableBudget(settings(256, 100)).memBudget).toBe(100 * MB);
    expect(memTableBudget(settings(0, 100)).memBudget).toBe(100 * MB);
  });

  it('decodes a quarter of the budget per encode or upload merge, at least 8 MB', () => {
    expect(decodedBatchBytes(settings(256))).toBe(64 * MB);
    expect(decodedBatchBytes(settings(16))).toBe(8 * MB);
  });

  it('lets a compactor merge decode four upload merges, so uploads still merge', () => {
    expect(compactionDecodedBytes(settings(256))).toBe(256 * MB);
    expect(compactionDecodedBytes(settings(16))).toBe(32 * MB);
    expect(compactionDecodedBytes(settings(256))).toBeGreaterThan(decodedBatchBytes(settings(256)));
  });
});
