// Kernel configurations of experiment `ipc` (call-cross-worker, -blocking, call-colocated) go here.
import type { BenchConfig } from './harness.js';

export const kernelConfigs: BenchConfig[] = [];
