import { createStore, useStore } from './store.ts';
import type { TimeOptions } from './time.ts';

// One zone for every time in the UI: the browser's own (named on every time, "16:47 CET"), or UTC, the zone of the
// evidence, the logs and the broker. The operator's choice is kept in localStorage, like the theme.

export type ZoneChoice = 'local' | 'utc';

const STORAGE_KEY = 'recon-time-zone';

const stored = (): ZoneChoice => {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    // Storage can be disabled (privacy settings): local time still works.
    return 'local';
  }
};

export const zoneStore = createStore<ZoneChoice>(stored());

const LOCAL: TimeOptions = {
  zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  locale: typeof navigator === 'undefined' ? undefined : navigator.language,
};
const UTC: TimeOptions = { zone: 'UTC' };

export const timeOptionsOf = (choice: ZoneChoice): TimeOptions => (choice === 'utc' ? UTC : LOCAL);

export function toggleTimeZone(): void {
  const next: ZoneChoice = zoneStore.get() === 'utc' ? 'local' : 'utc';
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, still applied.
  }
  zoneStore.set(next);
}

export const useZoneChoice = (): ZoneChoice => useStore(zoneStore);

/** The zone (and locale) every time on screen is written in; components re-render when the operator switches it. */
export const useTimeOptions = (): TimeOptions => timeOptionsOf(useZoneChoice());
