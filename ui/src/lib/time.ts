import { DASH, formatAge } from './format.ts';

// How a moment reads on screen: in one zone for the whole UI (the browser's, or UTC; see time-zone.ts), always with
// that zone's name, so "First seen 16:47 CET" beside evidence in UTC cannot be mistaken for the same clock.
// Pure: the zone and the locale come in as arguments.

export interface TimeOptions {
  /** An IANA zone: 'UTC', 'Europe/Berlin'. */
  zone: string;
  /** Whose name for the zone: en-GB says CET where en-US says GMT+1. The browser's language by default. */
  locale?: string;
}

// Formatters are costly to build and a list renders hundreds of times: one per zone and locale.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string, locale: string | undefined, options: Intl.DateTimeFormatOptions) {
  const key = `${zone}|${locale ?? ''}|${options.timeZoneName ?? 'parts'}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone: zone, ...options });
    formatters.set(key, formatter);
  }
  return formatter;
}

// Digits and their order fixed (not the locale's), so times sort by eye: 2024-05-01 14:03:07.
const PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
};

function partsOf(date: Date, zone: string): Record<string, string> {
  const parts = formatterFor(zone, 'en-US', PARTS).formatToParts(date);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** The zone's short name at that moment (CET in winter, CEST in summer), or its offset where it has none. */
export function zoneLabel(date: Date, { zone, locale }: TimeOptions): string {
  if (zone === 'UTC') return 'UTC';
  const parts = formatterFor(zone, locale, { timeZoneName: 'short' }).formatToParts(date);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

const parse = (iso: string): Date | null => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** `2024-01-15 16:47:05 CET`. */
export function formatTime(iso: string | null | undefined, options: TimeOptions): string {
  if (!iso) return DASH;
  const date = parse(iso);
  if (!date) return iso;
  const p = partsOf(date, options.zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zoneLabel(date, options)}`;
}

/** `16:47:05`, for chart axes (the chart names the zone once, not on every tick). */
export function formatClock(iso: string, zone: string): string {
  const date = parse(iso);
  if (!date) return iso;
  const p = partsOf(date, zone);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** A few seconds either way are "just now": the server's clock and the browser's are never quite the same. */
const JUST_NOW_SECONDS = 5;
const AHEAD_TOLERANCE_SECONDS = 60;

/** "3 min ago", for lists: how fresh a row is matters more there than its exact second (which the title gives). */
export function formatAgo(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return DASH;
  const date = parse(iso);
  if (!date) return iso;
  const seconds = (nowMs - date.getTime()) / 1000;
  if (seconds < -AHEAD_TOLERANCE_SECONDS) return `in ${formatAge(-seconds)}`;
  if (seconds < JUST_NOW_SECONDS) return 'just now';
  return `${formatAge(seconds)} ago`;
}
