import { defineConfig } from 'vitest/config';

// Three projects: everything that can share the services runs in parallel (each file in its own databases and
// vhost); the browser tests run next, one file at a time (Chromium and a real Recon want the two cores to
// themselves, or timings in the other tests suffer); tests that stop or restart a service run last, one file at a
// time (see scripts/test.sh).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'ui/src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'disruptive',
          include: ['test/disruptive/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
