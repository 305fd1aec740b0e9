// Experiment `ipc`: round-trip cost between two threads, one row per (config, message words).
// The non-kernel baselines live here: atomics-floor and spin-floor (JS Atomics ping-pong between
// two workers, timed inside the ping worker), postmessage and comlink (main thread <-> one worker,
// timed on the main thread). Kernel configs come from ./ipc_kernel.js (see EXTENSION POINT below).
import { releaseProxy, wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { BenchConfig, Experiment, ParamSpec, RatioSpec, RunOutcome } from './harness.js';
import { kernelConfigs } from './ipc_kernel.js';
import type { EchoApi } from './workers/comlink_server.js';
import {
  DEFAULT_SPIN_POLLS,
  PINGPONG_BYTES,
  type PingPongMode,
  type PingPongRole,
  type PingPongWorkerData,
  type RunDone,
  type RunRequest,
} from './workers/pingpong_layout.js';

export { DEFAULT_SPIN_POLLS };

/** Largest spin budget accepted: about 10-30 ms of polling, so a spinner always ends up blocking. */
export const MAX_SPIN_POLLS = 2_000_000;

/** The floors and the JS baselines carry no payload: their only param is 0 message words. */
export const IPC_PARAMS: ParamSpec = { unit: 'word', sweep: { kind: 'list', values: [0] } };

// ---- workers ----

/** Start bench/workers/<file> and wait until it runs JavaScript (start-up stays out of setup's callers' runs). */
async function spawn(file: string, workerData?: PingPongWorkerData): Promise<Worker> {
  const worker = new Worker(new URL(`./workers/${file}`, import.meta.url), { workerData });
  await once(worker, 'online');
  return worker;
}

/** The worker's next message; rejects if the worker fails or exits first. */
function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (msg: T): void => (cleanup(), resolve(msg));
    const onError = (err: Error): void => (cleanup(), reject(err));
    const onExit = (code: number): void => (cleanup(), reject(new Error(`worker exited (code ${code}) mid-run`)));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

// ---- atomics-floor, spin-floor ----

interface FloorState {
  readonly ping: Worker;
  readonly pong: Worker;
  /** Round trips played so far: the sequence numbers of the next run start at base + 1. */
  base: number;
}

/** The spin budget a config asks for in options.spinPolls (default DEFAULT_SPIN_POLLS), checked. */
export function spinPollsOf(config: BenchConfig<unknown>): number {
  const polls = config.options?.['spinPolls'] ?? DEFAULT_SPIN_POLLS;
  if (!Number.isInteger(polls) || polls < 0 || polls > MAX_SPIN_POLLS) {
    throw new RangeError(`${config.name}: spinPolls ${polls} is not an integer in [0, ${MAX_SPIN_POLLS}]`);
  }
  return polls;
}

async function startFloor(mode: PingPongMode, spinPolls: number): Promise<FloorState> {
  const sab = new SharedArrayBuffer(PINGPONG_BYTES);
  const start = (role: PingPongRole): Promise<Worker> => spawn('pingpong.js', { sab, role, mode, spinPolls });
  const starting = [start('ping'), start('pong')] as const;
  try {
    const [ping, pong] = await Promise.all(starting);
    return { ping, pong, base: 0 };
  } catch (err) {
    await Promise.allSettled(starting.map(async (w) => (await w).terminate()));
    throw err;
  }
}

/** One run of both loops; counters: how often each side blocked in Atomics.wait per round trip. */
async function runFloor(state: FloorState, iterations: number): Promise<RunOutcome> {
  const request: RunRequest = { kind: 'run', iterations, base: state.base };
  const replies = [nextMessage<RunDone>(state.ping), nextMessage<RunDone>(state.pong)] as const;
  state.pong.postMessage(request);
  state.ping.postMessage(request);
  const [ping, pong] = await Promise.all(replies);
  state.base += iterations;
  const counters = { 'ping-waits/rt': ping.waits / iterations, 'pong-waits/rt': pong.waits / iterations };
  return { elapsedNs: ping.elapsedNs, counters };
}

async function stopFloor(state: FloorState): Promise<void> {
  await Promise.all([state.ping.terminate(), state.pong.terminate()]);
}

const atomicsFloor: BenchConfig<FloorState> = {
  name: 'atomics-floor',
  description: 'two workers, JS Atomics.wait/notify ping-pong, no spinning; timed in the ping worker',
  setup: () => startFloor('bare', 0),
  run: runFloor,
  teardown: stopFloor,
};

const spinFloor: BenchConfig<FloorState> = {
  name: 'spin-floor',
  description: 'as atomics-floor, but each wait first polls Atomics.load up to options.spinPolls times',
  options: { spinPolls: DEFAULT_SPIN_POLLS },
  setup: (config) => startFloor('spin', spinPollsOf(config)),
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

/** Configurations that need no kernel; the floors every kernel number is compared against. */
export const baselineConfigs: readonly BenchConfig[] = [atomicsFloor, spinFloor, postMessageConfig, comlinkConfig];

/*
 * EXTENSION POINT: kernel configurations (call-cross-worker with params 0, 8, 16, 32, 64 words,
 * call-cross-worker-blocking, call-colocated) are appended from bench/ipc_kernel.ts. They set their
 * own `params` (IPC_PARAMS otherwise) and share the spin budget through options.spinPolls /
 * spinPollsOf(); at module top level ipc_kernel.ts must take constants from
 * ./workers/pingpong_layout.js, not from this file (import cycle).
 */
export const configs: readonly BenchConfig[] = [...baselineConfigs, ...kernelConfigs];

export const ratios: readonly RatioSpec[] = [
  {
    name: 'call-cross-worker@0 / spin-floor',
    numerator: { config: 'call-cross-worker', param: 0 },
    denominator: { config: 'spin-floor' },
  },
  {
    name: 'comlink / call-cross-worker@0',
    numerator: { config: 'comlink' },
    denominator: { config: 'call-cross-worker', param: 0 },
  },
  {
    name: 'call-cross-worker-blocking@0 / atomics-floor',
    numerator: { config: 'call-cross-worker-blocking', param: 0 },
    denominator: { config: 'atomics-floor' },
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
