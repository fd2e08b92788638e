import { describe, expect, it } from 'vitest';
import { formatFloatG, formatFloatPlain } from './format-float.js';

describe('float formatting', () => {
  it('formats like Go strconv "f" with shortest precision', () => {
    expect(formatFloatPlain(1e21)).toBe('1000000000000000000000');
    expect(formatFloatPlain(1.5e-7)).toBe('0.00000015');
    expect(formatFloatPlain(-0.25)).toBe('-0.25');
    expect(formatFloatPlain(Infinity)).toBe('+Inf');
    expect(formatFloatPlain(NaN)).toBe('NaN');
  });

  it('formats like Go %g', () => {
    expect(formatFloatG(1.1)).toBe('1.1');
    expect(formatFloatG(1e6)).toBe('1e+06');
    expect(formatFloatG(123456)).toBe('123456');
    expect(formatFloatG(0.00001)).toBe('1e-05');
  });
});
