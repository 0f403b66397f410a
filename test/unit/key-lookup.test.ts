import { describe, expect, it } from 'vitest';
import { lookUpInChunks } from '../../server/adapters/key-lookup.ts';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

describe('looking up many keys', () => {
  it.each([
    [0, []],
    [100, [100]],
    [250, [250]],
    [1_000, [250, 250, 250, 250]],
    [1_001, [251, 251, 251, 248]],
    [5_000, [1_250, 1_250, 1_250, 1_250]],
  ])('splits %i keys into statements of %j, never one per key', async (n, sizes) => {
    const chunks: string[][] = [];
    const found = await lookUpInChunks(keys(n), async (chunk) => {
      chunks.push([...chunk]);
      return chunk.map((key) => `row of ${key}`);
    });
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(keys(n));
    expect(found).toEqual(keys(n).map((key) => `row of ${key}`));
  });

  it('runs the statements side by side, and fails when one of them fails', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const lookUp = async (chunk: readonly string[]) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (chunk.includes('k999')) throw new Error('statement timeout');
      return [...chunk];
    };
    await expect(lookUpInChunks(keys(1_000), lookUp)).rejects.toThrow('statement timeout');
    expect(mostAtOnce).toBe(4);
  });
});
