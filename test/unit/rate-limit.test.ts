import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../server/http/rate-limit.ts';

describe('the rate limiter', () => {
  it('refuses a key past its tokens and lets it through again as they refill', () => {
    let t = 0;
    const limiter = createRateLimiter({ perMinute: 2, now: () => t });
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 30 });
    t += 30_000;
    expect(limiter.take('a').ok).toBe(true);
  });

  it('forgets keys that refilled long ago, even ones never seen again, so a flood of keys does not stay', () => {
    let t = 0;
    const limiter = createRateLimiter({ perMinute: 10, now: () => t });
    // Two failures each: 8 of 10 tokens left, stored as such until the key comes back, which it never does.
    for (let i = 0; i < 12_000; i++) {
      limiter.take(`client-${i}`);
      limiter.take(`client-${i}`);
    }
    expect(limiter.keyCount()).toBe(12_000);
    t += 60 * 60_000;
    limiter.take('one more');
    expect(limiter.keyCount()).toBe(1);
  });

  it('keeps the keys still limited when it prunes', () => {
    let t = 0;
    const limiter = createRateLimiter({ perMinute: 10, now: () => t });
    for (let i = 0; i < 10; i++) limiter.take('guesser');
    for (let i = 0; i < 10_001; i++) limiter.take(`other-${i}`);
    // Less than the 6 s one token takes to refill at 10 a minute, more than the prune interval.
    t += 5_500;
    limiter.take('trigger');
    expect(limiter.take('guesser').ok).toBe(false);
  });

  it('holds a bounded number of keys whatever arrives', () => {
    let t = 0;
    const limiter = createRateLimiter({ perMinute: 10, now: () => t });
    for (let i = 0; i < 120_000; i++) {
      limiter.take(`k-${i}`);
      limiter.take(`k-${i}`);
    }
    t += 6_000;
    limiter.take('trigger');
    // The bound, plus the key just taken.
    expect(limiter.keyCount()).toBeLessThanOrEqual(100_001);
  });
});
