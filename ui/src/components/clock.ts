import { createStore } from '../lib/store.ts';

/** How often ages in lists move on: often enough for "just now" to become "1 min ago" in time. */
const TICK_MS = 10_000;

/**
 * One clock for every "3 min ago" on the page: a timer per row would be hundreds of timers on a long list, each
 * re-rendering at its own moment.
 */
export const clockStore = createStore(Date.now());
setInterval(() => clockStore.set(Date.now()), TICK_MS);
