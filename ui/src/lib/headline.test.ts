import { describe, expect, it } from 'vitest';
import type { KindSummary } from '../api/types.ts';
import { toHeadline } from './headline.ts';

const kind = (name: KindSummary['kind'], open: number, changeLast15Min = 0): KindSummary => ({
  kind: name,
  open,
  changeLast15Min,
  oldestFirstSeenAt: null,
  oldestAgeSeconds: null,
});

describe('toHeadline', () => {
  it('names the critical kinds open first, with how much they grew in 15 minutes', () => {
    const headline = toHeadline(
      [
        kind('order-without-dispatch', 30, 35),
        kind('dispatch-without-order', 12, 5),
        kind('dead-letter', 88, 66),
        kind('stuck-outbox', 0, -2),
      ],
      { isDataCurrent: true },
    );
    expect(headline).toEqual({
      level: 'critical',
      text: '2 critical kinds open, +40 in 15 min · 1 warning kind open, +66 in 15 min',
    });
  });

  it('says when the open findings did not move or went down', () => {
    expect(toHeadline([kind('dead-letter', 3, 0)], { isDataCurrent: true }).text).toBe(
      '1 warning kind open, no change in 15 min',
    );
    expect(toHeadline([kind('order-without-dispatch', 1, -4)], { isDataCurrent: true }).text).toBe(
      '1 critical kind open, −4 in 15 min',
    );
  });

  it('is all clear only when nothing is open and the data is current', () => {
    const none = [kind('dead-letter', 0, -3), kind('order-without-dispatch', 0)];
    expect(toHeadline(none, { isDataCurrent: true })).toEqual({ level: 'clear', text: 'All clear' });
    expect(toHeadline(none, { isDataCurrent: false })).toEqual({
      level: 'unknown',
      text: 'No findings open, but some numbers are not current (see below)',
    });
  });
});
