// setup.ts: vitest's global set-up for the SDK tests: prints, once per run, the one line saying they
// are skipped and what to install (the test files skip themselves, see toolchain.ts).
import { SDK_SKIPPED } from './toolchain.js';

export default function setup(): void {
  if (SDK_SKIPPED) process.stdout.write(`${SDK_SKIPPED}\n`);
}
