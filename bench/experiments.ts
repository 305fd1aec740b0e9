// Registry of benchmark experiments: name -> loader of the module that declares it. Loaders are
// lazy so that listing or rejecting names never starts an experiment's imports or workers.
import type { Experiment } from './harness.js';

export const experiments: Readonly<Record<string, () => Promise<Experiment>>> = {
  ipc: async () => (await import('./ipc.js')).experiment,
  syscall: async () => (await import('./syscall.js')).experiment,
  programs: async () => (await import('./programs.js')).experiment,
  readwrite: async () => (await import('./readwrite.js')).experiment,
  proc: async () => (await import('./proc.js')).experiment,
  mig: async () => (await import('./mach.js')).mig,
  inks: async () => (await import('./mach.js')).inks,
};

export const experimentNames: readonly string[] = Object.keys(experiments);
