import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

// Only what a line chart needs: registering everything would add every controller and scale to the bundle.
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

export { Chart };

/** Mid-tone colours that read on the light and the dark background alike. */
export const PALETTE = ['#3b82f6', '#ef4444', '#10b981', '#f59e0b', '#8b5cf6', '#ec4899', '#14b8a6', '#84cc16'];

/** The theme's text and grid colours, from the CSS variables (a canvas cannot use CSS variables itself). */
export function themeColors(): { text: string; grid: string } {
  const style = getComputedStyle(document.documentElement);
  return {
    text: style.getPropertyValue('--text-muted').trim() || '#666',
    grid: style.getPropertyValue('--grid').trim() || '#ddd',
  };
}
