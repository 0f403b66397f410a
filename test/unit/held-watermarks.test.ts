import { describe, expect, it } from 'vitest';
import { createHeldWatermarks } from '../../reconcilers/engine/held-watermarks.ts';
import type { WatermarkPort } from '../../reconcilers/ports/findings-store.ts';
import { NOW } from '../support/builders.ts';

function makeStore() {
  const stored = new Map<string, Date>();
  const calls = { reads: 0, failNextWrite: false };
  const store: WatermarkPort = {
    async getWatermark(stream) {
      calls.reads += 1;
      return stored.get(stream) ?? null;
    },
    async setWatermark(stream, at) {
      if (calls.failNextWrite) {
        calls.failNextWrite = false;
        throw new Error('recon store down');
      }
      stored.set(stream, at);
    },
  };
  return { store, stored, calls };
}

describe('held watermarks', () => {
  it('reads a watermark from the store once, then knows what it wrote', async () => {
    const { store, calls } = makeStore();
    const held = createHeldWatermarks(store);
    expect(await held.getWatermark('orders')).toBeNull();
    await held.setWatermark('orders', NOW);

    expect(await held.getWatermark('orders')).toEqual(NOW);
    expect(calls.reads).toBe(1);
  });

  it('reads again after it is told to forget (another leader may have moved it)', async () => {
    const { store, stored, calls } = makeStore();
    const held = createHeldWatermarks(store);
    await held.getWatermark('orders');
    stored.set('orders', NOW);
    held.forget();

    expect(await held.getWatermark('orders')).toEqual(NOW);
    expect(calls.reads).toBe(2);
  });

  it('reads again after a write that failed, whose effect is unknown', async () => {
    const { store, calls } = makeStore();
    const held = createHeldWatermarks(store);
    await held.getWatermark('orders');
    calls.failNextWrite = true;

    await expect(held.setWatermark('orders', NOW)).rejects.toThrow('recon store down');
    await held.getWatermark('orders');
    expect(calls.reads).toBe(2);
  });
});
