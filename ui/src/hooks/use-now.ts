import { useEffect, useState } from 'preact/hooks';

/** The time, re-rendering every `intervalMs`, for ages that count up on screen ("12 s ago"). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
