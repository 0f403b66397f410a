import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatTime } from './time.ts';

// 15:47:05 UTC on a winter day: 16:47 in Berlin (CET, UTC+1), 10:47 in New York (EST).
const WINTER = '2024-01-15T15:47:05.123Z';
const SUMMER = '2024-07-15T15:47:05Z';

describe('formatTime', () => {
  it('writes the time in the zone asked for, with that zone named', () => {
    expect(formatTime(WINTER, { zone: 'Europe/Berlin', locale: 'en-GB' })).toBe('2024-01-15 16:47:05 CET');
    expect(formatTime(SUMMER, { zone: 'Europe/Berlin', locale: 'en-GB' })).toBe('2024-07-15 17:47:05 CEST');
    expect(formatTime(WINTER, { zone: 'America/New_York', locale: 'en-US' })).toBe('2024-01-15 10:47:05 EST');
  });

  it('writes UTC as UTC, whatever the locale calls it', () => {
    expect(formatTime(WINTER, { zone: 'UTC', locale: 'en-GB' })).toBe('2024-01-15 15:47:05 UTC');
    expect(formatTime(WINTER, { zone: 'UTC', locale: 'de-DE' })).toBe('2024-01-15 15:47:05 UTC');
  });

  it('falls back to the offset where the locale has no name for the zone', () => {
    expect(formatTime(WINTER, { zone: 'Asia/Kolkata', locale: 'en-GB' })).toBe('2024-01-15 21:17:05 GMT+5:30');
  });

  it('shows a dash for no time and the text itself for one it cannot read', () => {
    expect(formatTime(null, { zone: 'UTC' })).toBe('—');
    expect(formatTime('yesterday-ish', { zone: 'UTC' })).toBe('yesterday-ish');
  });
});

describe('formatClock', () => {
  it('writes hours, minutes and seconds in the zone, for chart axes', () => {
    expect(formatClock(WINTER, 'Europe/Berlin')).toBe('16:47:05');
    expect(formatClock(WINTER, 'UTC')).toBe('15:47:05');
  });
});

describe('formatAgo', () => {
  const now = Date.parse(WINTER);
  it('says how long ago, in the largest unit that fits', () => {
    expect(formatAgo(WINTER, now + 3 * 60_000 + 20_000)).toBe('3 min ago');
    expect(formatAgo(WINTER, now + 12_000)).toBe('12 s ago');
    expect(formatAgo(WINTER, now + 26 * 3_600_000)).toBe('1 d 2 h ago');
  });

  it('says just now for the last few seconds and for a time a little ahead (clocks differ)', () => {
    expect(formatAgo(WINTER, now + 2_000)).toBe('just now');
    expect(formatAgo(WINTER, now - 20_000)).toBe('just now');
  });

  it('says in how long for a time well ahead', () => {
    expect(formatAgo(WINTER, now - 5 * 60_000)).toBe('in 5 min');
  });
});
