// setup.ts: vitest's global set-up for the browser tests: prints, once per run, the one line saying
// they are skipped and what to install (the test files skip themselves, see chromium.ts).
import { BROWSER_SKIPPED } from './chromium.js';

export default function setup(): void {
  if (BROWSER_SKIPPED) process.stdout.write(`${BROWSER_SKIPPED}\n`);
}
