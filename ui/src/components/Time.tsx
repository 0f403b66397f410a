import { useStore } from '../lib/store.ts';
import { formatAgo, formatTime } from '../lib/time.ts';
import { useTimeOptions } from '../lib/time-zone.ts';
import { clockStore } from './clock.ts';

interface Props {
  iso: string | null | undefined;
}

/** A moment in the UI's zone, with the zone named ("2024-01-15 16:47:05 CET"); the exact ISO text on hover. */
export function Time({ iso }: Props) {
  const options = useTimeOptions();
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso, options)}
    </time>
  );
}

/** For lists: how long ago ("3 min ago"), counting up; the exact time, in the UI's zone, on hover. */
export function Ago({ iso }: Props) {
  const options = useTimeOptions();
  const nowMs = useStore(clockStore);
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={formatTime(iso, options)}>
      {formatAgo(iso, nowMs)}
    </time>
  );
}
