import { describe, expect, it } from 'vitest';
import { createKeyLookup } from '../../server/adapters/key-lookup.ts';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

/** A lookup that records its statements and how many ran at once. */
function recordingLookUp(failOn?: string) {
  const chunks: string[][] = [];
  let running = 0;
  const stats = { chunks, mostAtOnce: 0 };
  const lookUp = async (chunk: readonly string[]) => {
    chunks.push([...chunk]);
    running += 1;
    stats.mostAtOnce = Math.max(stats.mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running -= 1;
    if (failOn && chunk.includes(failOn)) throw new Error('statement timeout');
    return chunk.map((key) => `row of ${key}`);
  };
  return { lookUp, stats };
}

describe('looking up many keys', () => {
  it.each([
    [0, []],
    [100, [100]],
    [250, [250]],
    [1_000, [250, 250, 250, 250]],
    [1_001, [251, 251, 251, 248]],
    [5_000, [1_250, 1_250, 1_250, 1_250]],
  ])('splits %i keys into statements of %j, never one per key', async (n, sizes) => {
    const { lookUp, stats } = recordingLookUp();
    const found = await createKeyLookup(4)(keys(n), lookUp);
    expect(stats.chunks.map((c) => c.length)).toEqual(sizes);
    expect(stats.chunks.flat()).toEqual(keys(n));
    expect(found).toEqual(keys(n).map((key) => `row of ${key}`));
  });

  it('looks each key up once, however often it is asked for', async () => {
    const { lookUp, stats } = recordingLookUp();
    await createKeyLookup(4)([...keys(600), ...keys(600)], lookUp);
    expect(stats.chunks.flat()).toEqual(keys(600));
  });

  it('runs the statements side by side, and fails when one of them fails', async () => {
    const { lookUp, stats } = recordingLookUp('k999');
    await expect(createKeyLookup(4)(keys(1_000), lookUp)).rejects.toThrow('statement timeout');
    expect(stats.mostAtOnce).toBe(4);
  });

  it('runs no more statements at once than its slots, across lookups that overlap', async () => {
    const { lookUp, stats } = recordingLookUp();
    const lookUpKeys = createKeyLookup(3);
    const found = await Promise.all([lookUpKeys(keys(1_000), lookUp), lookUpKeys(keys(1_000), lookUp)]);
    expect(stats.mostAtOnce).toBe(3);
    expect(stats.chunks).toHaveLength(8);
    expect(found.map((rows) => rows.length)).toEqual([1_000, 1_000]);
  });
});
