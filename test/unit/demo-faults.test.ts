import { describe, expect, it } from 'vitest';
import { isChosen, noFaults, parseFaultRates } from '../../demo/faults.ts';

describe('parseFaultRates', () => {
  it('reads a rate per kind and leaves the others at zero', () => {
    const rates = parseFaultRates('poison=0.05, lost-dispatch=1');
    expect(rates).toEqual({ ...noFaults(), poison: 0.05, 'lost-dispatch': 1 });
  });

  it('names the unknown fault and lists the known ones', () => {
    expect(() => parseFaultRates('posion=0.1')).toThrow(/unknown fault "posion".*publish-then-rollback/);
  });

  it('refuses a rate outside 0..1', () => {
    expect(() => parseFaultRates('poison=2')).toThrow(/poison: rate must be a number from 0 to 1/);
    expect(() => parseFaultRates('poison=often')).toThrow(/got "often"/);
  });
});

describe('isChosen', () => {
  it('decides the same way every time for one message, so a redelivery sees the same fault', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const first = ids.map((id) => isChosen('non-idempotent', id, 0.3));
    expect(ids.map((id) => isChosen('non-idempotent', id, 0.3))).toEqual(first);
  });

  it('chooses about the given share of messages', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `message-${i}`);
    const share = ids.filter((id) => isChosen('poison', id, 0.25)).length / ids.length;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.28);
  });

  it('never chooses at rate 0 and always at rate 1', () => {
    expect(isChosen('poison', 'x', 0)).toBe(false);
    expect(isChosen('poison', 'x', 1)).toBe(true);
  });
});
