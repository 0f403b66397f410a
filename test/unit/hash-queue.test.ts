import { describe, expect, it } from 'vitest';
import { createHashQueue } from '../../server/auth/hash-queue.ts';

// Password checks run a few at a time, a few more wait, and the rest are refused at once (never queued without end).

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('hash queue', () => {
  it('runs atOnce at a time, lets `waiting` more wait, and refuses the rest at once', async () => {
    const queue = createHashQueue({ atOnce: 2, waiting: 1 });
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let most = 0;
    const work = (i: number) => async () => {
      most = Math.max(most, ++running);
      await gates[i]!.promise;
      running--;
      return i;
    };
    const runs = [0, 1, 2].map((i) => queue.tryRun(work(i)));
    expect(runs.every((run) => run !== undefined)).toBe(true);
    expect(queue.tryRun(work(0))).toBeUndefined();
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(most).toBe(2);
  });

  it('frees the slot of a check that failed', async () => {
    const queue = createHashQueue({ atOnce: 1, waiting: 0 });
    await expect(queue.tryRun(() => Promise.reject(new Error('bad hash')))).rejects.toThrow('bad hash');
    expect(await queue.tryRun(async () => 'next')).toBe('next');
  });
});
