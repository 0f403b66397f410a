import type { WatermarkPort } from '../ports/findings-store.ts';

export interface HeldWatermarks extends WatermarkPort {
  /** Reads them from the store again at the next use (leadership regained, or a write whose outcome is unknown). */
  forget(): void;
}

/**
 * The watermarks as the leader holds them between cycles: read from the store once, then known, since only the
 * leader's cycle moves them. Each move is written through before the cycle ends, so a crash loses nothing: the
 * next leader reads the last one written.
 */
export function createHeldWatermarks(store: WatermarkPort): HeldWatermarks {
  const held = new Map<string, Date | null>();
  return {
    async getWatermark(stream) {
      if (!held.has(stream)) held.set(stream, await store.getWatermark(stream));
      return held.get(stream) ?? null;
    },
    async setWatermark(stream, at) {
      held.delete(stream);
      await store.setWatermark(stream, at);
      held.set(stream, at);
    },
    forget: () => held.clear(),
  };
}
