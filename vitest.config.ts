// vitest configuration: tests live under test/ and run against the built output in dist/ and build/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/browser/setup.ts', 'test/sdk/setup.ts'], // one line when the browser or SDK tests are skipped
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
