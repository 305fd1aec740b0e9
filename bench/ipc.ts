// Experiment `ipc`: round-trip cost between two threads, one row per (config, message words).
// The baselines are declared here: atomics-floor and spin-floor (JS Atomics ping-pong played by the
// two workers of the kernel configuration each is compared with: ipc_kernel.ts runs them), and
// postmessage and comlink (main thread <-> one worker, timed on the main thread). Kernel configs
// come from ./ipc_kernel.js (see EXTENSION POINT below).
import { releaseProxy, wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { BenchConfig, Experiment, ParamSpec, RatioSpec } from './harness.js';
import { CROSS_WORKER_SPIN, kernelConfigs, runFloor, setupFloor, stopFloor, type FloorState } from './ipc_kernel.js';
import type { EchoApi } from './workers/comlink_server.js';
import { DEFAULT_SPIN_POLLS } from './workers/pingpong_layout.js';

export { DEFAULT_SPIN_POLLS };

/** Largest spin budget accepted: about 10-30 ms of polling, so a spinner always ends up blocking. */
export const MAX_SPIN_POLLS = 2_000_000;

/** The floors and the JS baselines carry no payload: their only param is 0 message words. */
export const IPC_PARAMS: ParamSpec = { unit: 'word', sweep: { kind: 'list', values: [0] } };

// ---- workers ----

/** Start bench/workers/<file> and wait until it runs JavaScript (start-up stays out of setup's callers' runs). */
async function spawn(file: string): Promise<Worker> {
  const worker = new Worker(new URL(`./workers/${file}`, import.meta.url));
  await once(worker, 'online');
  return worker;
}

// ---- atomics-floor, spin-floor ----

/** The spin budget a config asks for in options.spinPolls (default DEFAULT_SPIN_POLLS), checked. */
export function spinPollsOf(config: BenchConfig<unknown>): number {
  const polls = config.options?.['spinPolls'] ?? DEFAULT_SPIN_POLLS;
  if (!Number.isInteger(polls) || polls < 0 || polls > MAX_SPIN_POLLS) {
    throw new RangeError(`${config.name}: spinPolls ${polls} is not an integer in [0, ${MAX_SPIN_POLLS}]`);
  }
  return polls;
}

const atomicsFloor: BenchConfig<FloorState> = {
  name: 'atomics-floor',
  description:
    'JS Atomics.wait/notify ping-pong, no spinning, between the two workers of call-cross-worker-blocking ' +
    '(between its kernel calls, so in its placement); timed in the client worker',
  setup: () => setupFloor('bare', 0, 0),
  run: runFloor,
  teardown: stopFloor,
};

const spinFloor: BenchConfig<FloorState> = {
  name: 'spin-floor',
  description:
    'as atomics-floor, but each wait first polls Atomics.load up to options.spinPolls times; ' +
    'on the workers of call-cross-worker@0',
  options: { spinPolls: DEFAULT_SPIN_POLLS },
  setup: (config) => setupFloor('spin', spinPollsOf(config), CROSS_WORKER_SPIN),
  run: runFloor,
  teardown: stopFloor,
};

// ---- postmessage ----

/** Bounce one number between the main thread and the echo worker `iterations` times. */
function echoRoundTrips(worker: Worker, iterations: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let left = iterations;
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    const onMessage = (): void => {
      if (--left > 0) return worker.postMessage(left);
      cleanup();
      resolve(Number(process.hrtime.bigint() - start));
    };
    const onError = (err: Error): void => (cleanup(), reject(err));
    worker.on('message', onMessage);
    worker.on('error', onError);
    const start = process.hrtime.bigint();
    worker.postMessage(left);
  });
}

const postMessageConfig: BenchConfig<Worker> = {
  name: 'postmessage',
  description: 'main thread <-> worker (parentPort) postMessage round trip of one number; timed on main',
  setup: () => spawn('echo.js'),
  run: echoRoundTrips,
  teardown: async (worker) => void (await worker.terminate()),
};

// ---- comlink ----

interface ComlinkState {
  readonly worker: Worker;
  readonly api: Remote<EchoApi>;
}

async function comlinkCalls(state: ComlinkState, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await state.api.echo(i);
  return Number(process.hrtime.bigint() - start);
}

const comlinkConfig: BenchConfig<ComlinkState> = {
  name: 'comlink',
  description: 'main thread -> worker comlink call of echo(x) via comlink\'s Node adapter; timed on main',
  setup: async () => {
    const worker = await spawn('comlink_server.js');
    return { worker, api: wrap<EchoApi>(nodeEndpoint(worker)) };
  },
  run: comlinkCalls,
  teardown: async (state) => {
    state.api[releaseProxy]();
    await state.worker.terminate();
  },
};

// ---- the experiment ----

/*
 * EXTENSION POINT: kernel configurations (call-cross-worker with params 0, 8, 16, 32, 64 words,
 * call-cross-worker-blocking, -slowpath, call-colocated) come from bench/ipc_kernel.ts, the first
 * being call-cross-worker. They set their own `params` (IPC_PARAMS otherwise); at module top level
 * ipc_kernel.ts must take constants from ./workers/pingpong_layout.js, not from this file (import
 * cycle).
 */
const [callCrossWorker, ...otherKernelConfigs] = kernelConfigs;

/**
 * Each floor is measured interleaved with the kernel configuration it is compared with (the ratio's
 * `interleaved`: alternating chunks within each repetition, on the same pair): wake-ups on this VM
 * cost 3-4 us or 30-35 us depending on the host's halt polling for each vCPU, which adapts to the
 * last few milliseconds, so a blocking floor and a blocking kernel measured apart saw 1x to 9x
 * apart (and one repetition each back to back still 1.25-2.45x in sustained runs).
 */
export const configs: readonly BenchConfig[] = [
  postMessageConfig,
  comlinkConfig,
  spinFloor,
  callCrossWorker!,
  atomicsFloor,
  ...otherKernelConfigs,
];

export const ratios: readonly RatioSpec[] = [
  {
    name: 'call-cross-worker@0 / spin-floor',
    numerator: { config: 'call-cross-worker', param: 0 },
    denominator: { config: 'spin-floor' },
    interleaved: true,
  },
  {
    name: 'comlink / call-cross-worker@0',
    numerator: { config: 'comlink' },
    denominator: { config: 'call-cross-worker', param: 0 },
  },
  // The ceiling of the ratio above: what a call costing exactly the spinning floor would score.
  { name: 'comlink / spin-floor', numerator: { config: 'comlink' }, denominator: { config: 'spin-floor' } },
  {
    name: 'call-cross-worker-blocking@0 / atomics-floor',
    numerator: { config: 'call-cross-worker-blocking', param: 0 },
    denominator: { config: 'atomics-floor' },
    interleaved: true,
  },
  { name: 'call-colocated@0 (ns)', numerator: { config: 'call-colocated', param: 0 } },
];

export const experiment: Experiment = {
  name: 'ipc',
  description: 'round trip between two threads: JS floors, postMessage, comlink, and kernel IPC',
  params: IPC_PARAMS,
  configs,
  ratios,
};
