import { describe, expect, it } from 'vitest';
import { timeOrder } from './time-order.js';

/** The order a plain stable sort by time gives: the oracle. */
const sortedOrder = (times: number[]) =>
  times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);

const apply = (times: number[]) => {
  const order = timeOrder(Float64Array.from(times));
  return order === undefined ? times.map((_, i) => i) : [...order];
};

describe('timeOrder', () => {
  it('is undefined for times already in order (equal times included) and for none', () => {
    expect(timeOrder(Float64Array.from([1, 2, 2, 5]))).toBeUndefined();
    expect(timeOrder(new Float64Array(0))).toBeUndefined();
  });

  it('joins sorted runs that do not overlap, in the order of their first times', () => {
    const times = [70, 80, 90, 10, 20, 30, 40, 50, 60];
    expect(apply(times)).toEqual(sortedOrder(times));
  });

  it('reverses descending runs (stored files hold rows newest first) and joins them', () => {
    const times = [60, 50, 40, 90, 80, 70, 30, 20, 10, 100, 110];
    expect(apply(times)).toEqual(sortedOrder(times));
    expect(apply([3, 2, 1])).toEqual([2, 1, 0]);
    // Two files' newest-first rows read back to back make one run spanning another.
    const spanning = [9, 8, 7, 2, 1, 0, 6, 5, 4, 3];
    expect(apply(spanning)).toEqual(sortedOrder(spanning));
  });

  it('sorts overlapping runs and duplicates like a stable sort', () => {
    const times = [30, 40, 50, 10, 30, 45, 5, 50, 50, 1];
    expect(apply(times)).toEqual(sortedOrder(times));
  });

  it('matches a stable sort on random runs', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 500; round++) {
      const times: number[] = [];
      for (let run = 0; run < 1 + Math.floor(random() * 6); run++) {
        let t = Math.floor(random() * 1000);
        const direction = random() < 0.5 ? -1 : 1;
        for (let i = 0; i < Math.floor(random() * 12); i++) {
          const jump = random() < 0.2 ? 40 : 1;
          times.push((t += direction * jump * Math.floor(random() * 3)));
        }
      }
      expect(apply(times)).toEqual(sortedOrder(times));
    }
  });
});
