/** The chart windows offered, in minutes: now, the last hour, the night shift so far. */
export const WINDOWS = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 360, label: '6 h' },
] as const;

interface Props {
  minutes: number;
  onChange(minutes: number): void;
}

/** One window for every chart of the overview: pressed buttons, so the choice is one tab stop and says itself. */
export function WindowPicker({ minutes, onChange }: Props) {
  return (
    <fieldset class="window-picker">
      <legend class="muted">Charts over the last</legend>
      {WINDOWS.map((w) => (
        <button
          key={w.minutes}
          type="button"
          data-testid={`window-${w.minutes}`}
          aria-pressed={w.minutes === minutes}
          onClick={() => onChange(w.minutes)}
        >
          {w.label}
        </button>
      ))}
    </fieldset>
  );
}
