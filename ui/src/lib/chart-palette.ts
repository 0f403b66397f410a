// Line colours for the charts. Okabe & Ito's palette (the one colour-blind readers are usually given), without its
// black and yellow, which vanish on the dark and the light background: six colours that stay apart under
// protanopia, deuteranopia and tritanopia (chart-palette.test.ts checks it). Mid-tones, so they read on both themes.
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9'];

const DASHED = [6, 4];
// Past the sixth colour the colours come round again, dotted: the findings chart draws a line per kind (nine).
const DOTTED = [2, 3];
const DASH_DOTTED = [6, 3, 2, 3];

export interface LineStyle {
  color: string;
  /** Chart.js borderDash: [] is solid. */
  dash: number[];
}

/** The look of the `index`th colour group's line; `isDashed` marks the second line of a group (unacked, p95). */
export function lineStyleOf(index: number, isDashed: boolean): LineStyle {
  const isSecondRound = Math.floor(index / PALETTE.length) % 2 === 1;
  const dash = isSecondRound ? (isDashed ? DASH_DOTTED : DOTTED) : isDashed ? DASHED : [];
  return { color: PALETTE[index % PALETTE.length]!, dash };
}
