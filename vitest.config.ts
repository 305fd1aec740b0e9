// vitest configuration: tests live under test/ and run against the built output in dist/ and build/.
// Every webmach command a test runs checks at its end that the machine gave back all it held
// (WEBMACH_LEAK_CHECK: a leak is a line on stderr and exit code 125).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/browser/setup.ts', 'test/sdk/setup.ts'], // one line when the browser or SDK tests are skipped
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { WEBMACH_LEAK_CHECK: '1' },
  },
});
