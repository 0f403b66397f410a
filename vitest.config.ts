import { defineConfig } from 'vitest/config';

// Two projects: everything that can share the services runs in parallel (each file in its own databases and
// vhost); tests that stop or restart a service run afterwards, one file at a time (see scripts/test.sh).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
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
