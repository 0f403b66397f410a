import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../../../reconcilers/registry.ts';
import { lineStyleOf, PALETTE } from './chart-palette.ts';

// Colour vision simulated with Machado et al. (2009) at full severity, on linear RGB; distances in CIELAB (ΔE76).
// About 10 is "clearly different at a glance" for thin lines; the old palette had pairs at 3 and 4.
const SIMULATIONS: Record<string, number[][]> = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};
const MIN_DELTA_E = 15;

const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgbOf = (hex: string) => [1, 3, 5].map((i) => linear(Number.parseInt(hex.slice(i, i + 2), 16) / 255));
const clamp = (v: number) => Math.min(1, Math.max(0, v));
const seenAs = (hex: string, m: number[][]) => {
  const c = rgbOf(hex);
  return m.map((row) => clamp(row.reduce((sum, k, i) => sum + k * c[i]!, 0)));
};
function lab([r = 0, g = 0, b = 0]: number[]): number[] {
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

describe('the chart palette', () => {
  it('keeps every pair of colours apart for normal vision and the three colour-vision deficiencies', () => {
    const tooClose: string[] = [];
    for (const [vision, matrix] of Object.entries(SIMULATIONS)) {
      PALETTE.forEach((a, i) => {
        for (const b of PALETTE.slice(i + 1)) {
          const [la, lb] = [lab(seenAs(a, matrix)), lab(seenAs(b, matrix))];
          const distance = Math.hypot(...la.map((v, k) => v - lb[k]!));
          if (distance < MIN_DELTA_E) tooClose.push(`${vision}: ${a} ~ ${b} (ΔE ${distance.toFixed(1)})`);
        }
      });
    }
    expect(tooClose).toEqual([]);
  });

  it('gives each kind in the findings chart its own look, past the last colour too', () => {
    const looks = FINDING_KINDS.map((_, i) => JSON.stringify(lineStyleOf(i, false)));
    expect(new Set(looks).size).toBe(FINDING_KINDS.length);
  });

  it('keeps a dashed line (unacked, p95) distinguishable from its solid partner in every round of colours', () => {
    for (const index of [0, PALETTE.length]) {
      expect(lineStyleOf(index, true)).not.toEqual(lineStyleOf(index, false));
      expect(lineStyleOf(index, true).color).toBe(lineStyleOf(index, false).color);
    }
  });
});
