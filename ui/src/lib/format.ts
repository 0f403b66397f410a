// How numbers, ages and times read on screen. A value the server did not send is "—", never a made-up 0.

export const DASH = '—';

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : value.toLocaleString('en-US');
}

/** Per-second rates: one decimal below 10 (a trickle matters), whole numbers above. */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')}/s`;
}

/** "12 s", "4 min", "3 h 5 min", "2 d 4 h": two units at most, enough to tell fresh from forgotten. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function formatSeconds(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value < 10 ? `${value.toFixed(2)} s` : formatAge(value);
}

// Times: see time.ts (every time is written in the one zone the operator chose, with its name).

/** Pretty JSON for evidence, headers and bodies; it goes into a <pre> as text, never as markup. */
export function toPrettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
