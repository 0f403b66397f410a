import { describe, expect, it } from 'vitest';
import { DASH, formatAge, formatCount, formatRate } from './format.ts';

describe('format', () => {
  it('shows a dash, not zero, for a value the server did not send', () => {
    expect(formatCount(undefined)).toBe(DASH);
    expect(formatRate(undefined)).toBe(DASH);
    expect(formatAge(null)).toBe(DASH);
    expect(formatCount(0)).toBe('0');
  });

  it('writes ages with at most two units', () => {
    expect(formatAge(12)).toBe('12 s');
    expect(formatAge(3 * 3600 + 5 * 60 + 9)).toBe('3 h 5 min');
    expect(formatAge(2 * 86_400 + 4 * 3600)).toBe('2 d 4 h');
  });
});
