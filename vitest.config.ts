import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'src/**/*.test.ts', 'connectors/**/*.test.ts'],
          environment: 'node',
          // Some unit tests run the CLI as a subprocess (tsx start-up) or generate data: seconds each on
          // a 2-core machine shared by several test runs, where vitest's 5 s default failed them.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // A 2-core machine shares one broker and one JVM: run integration files one at a time.
          fileParallelism: false,
        },
      },
      {
        test: {
          // The developer portal over real HTTP, and in a real browser (Debian's Chromium, driven by
          // playwright-core) where one is installed (test/e2e/support/global-setup.ts).
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
