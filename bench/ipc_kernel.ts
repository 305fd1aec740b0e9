// Kernel configurations of experiment `ipc` (ordered among the baselines by bench/ipc.ts): a kernel
// ipc_call / ipc_reply_wait round trip between a client worker and a server worker (adaptive wait,
// always-blocking wait, fastpath off), and a colocated call to a passive handler in the client's own
// worker; and the two floors, played by the worker pair of the config each is compared with. A pair
// boots a fresh kernel over a fresh machine memory on the main thread (root thread, worker 0),
// creates the tasks, threads and capability, and starts the workers (bench/workers/kernel_client.ts,
// kernel_server.ts); timing happens inside the client worker. Top-level imports come from leaf
// modules only, never from ./ipc.js (it imports this file).
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SPIN, RIGHT_SEND } from '../kernel-as/bindings/abi.js';
import { Kernel, createMachineMemory } from '../kernel-as/bindings/kernel.js';
import type { BenchConfig, ParamSpec, RunOutcome } from './harness.js';
import { PINGPONG_BYTES, type PingPongMode } from './workers/pingpong_layout.js';
import {
  SERVER_STATS,
  SERVER_STATS_BYTES,
  type ClientData,
  type KernelFloorRequest,
  type KernelReady,
  type KernelRunDone,
  type KernelRunRequest,
  type KernelWorkerData,
  type ServerData,
} from './workers/kernel_protocol.js';

/** The word sweep: the request and the reply each carry this many words after the tag. */
export const WORD_PARAMS: ParamSpec = { unit: 'word', sweep: { kind: 'list', values: [0, 8, 16, 32, 64] } };
const NO_WORDS: ParamSpec = { unit: 'word', sweep: { kind: 'list', values: [0] } };

/** Largest kernel spin budget accepted (KHDR.SPIN polls; a Wasm poll costs a few ns). */
export const MAX_KERNEL_SPIN = 20_000_000;

/** A worker that does not report within this long has hung (e.g. a lost wake-up): fail the run. */
const REPORT_TIMEOUT_MS = 30_000;

/** Badge of the client's capability to the server (any value; the server does not check it). */
const BADGE = 0x5eed;

// ---- options ----

/**
 * The kernel spin budget in options.spinPolls, in kernel polls (KHDR.SPIN), not in the JS
 * Atomics.load polls of spin-floor's option of the same name. Default: the kernel's DEFAULT_SPIN.
 */
export function kernelSpinOf(config: BenchConfig<unknown>): number {
  const polls = config.options?.['spinPolls'] ?? DEFAULT_SPIN;
  if (!Number.isInteger(polls) || polls < 0 || polls > MAX_KERNEL_SPIN) {
    throw new RangeError(`${config.name}: spinPolls ${polls} is not an integer in [0, ${MAX_KERNEL_SPIN}]`);
  }
  return polls;
}

/** options.fastpath: 1 (default) or 0 for kernel_set_fastpath. */
export function fastpathOf(config: BenchConfig<unknown>): number {
  const on = config.options?.['fastpath'] ?? 1;
  if (on !== 0 && on !== 1) throw new RangeError(`${config.name}: fastpath ${on} is not 0 or 1`);
  return on;
}

// ---- the machine: kernel module, memory, root thread ----

let compiled: WebAssembly.Module | undefined;

/** build/kernel.wasm, compiled once per process and shared with every worker. */
function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('../../build/kernel.wasm', import.meta.url)));
  return compiled;
}

interface Machine {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** The main thread's instance, attached to the root thread (privileged). */
  readonly root: Kernel;
}

function expectOk(r: number, what: string): void {
  if (r !== 0) throw new Error(`${what} failed: error ${r}`);
}

async function bootMachine(spin: number, fastpath: number): Promise<Machine> {
  const module = kernelModule();
  const memory = createMachineMemory();
  const root = await Kernel.create(module, memory);
  const rootTid = root.x.kernel_boot(spin);
  expectOk(root.attach(rootTid, 0), 'kernel_attach(root)');
  expectOk(root.x.kernel_set_fastpath(fastpath), 'kernel_set_fastpath');
  return { module, memory, root };
}

function newTask(m: Machine): number {
  const task = m.root.x.task_create(0);
  if (task <= 0) throw new Error(`task_create failed: ${task}`);
  return task;
}

function newThread(m: Machine, task: number): number {
  const tid = m.root.x.thread_create(task);
  if (tid <= 0) throw new Error(`thread_create(${task}) failed: ${tid}`);
  return tid;
}

/** Give `task` a send capability to thread `tid` in slot 0 (the slot the client calls). */
function mintSend(m: Machine, task: number, tid: number): void {
  expectOk(m.root.x.cap_mint(task, 0, tid, BADGE, RIGHT_SEND), `cap_mint(${task}, 0, ${tid})`);
}

// ---- workers ----

/** The worker's next message; rejects if it fails, exits, or stays silent for `ms`. */
function nextMessage<T>(worker: Worker, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (msg: T): void => (cleanup(), resolve(msg));
    const onError = (err: Error): void => (cleanup(), reject(err));
    const onExit = (code: number): void => (cleanup(), reject(new Error(`worker exited (code ${code})`)));
    const timer = setTimeout(() => (cleanup(), reject(new Error(`worker silent for ${ms} ms`))), ms);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Start bench/workers/<role's file> and wait until it is attached to its thread. */
async function spawnKernelWorker(data: KernelWorkerData): Promise<Worker> {
  const file = data.role === 'client' ? 'kernel_client.js' : 'kernel_server.js';
  const worker = new Worker(new URL(`./workers/${file}`, import.meta.url), { workerData: data });
  try {
    const ready = await nextMessage<KernelReady>(worker, REPORT_TIMEOUT_MS);
    if (ready.error !== undefined) throw new Error(`${file}: ${ready.error}`);
    return worker;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
}

/** Start all workers; if one fails, end the others and rethrow. */
async function spawnAll(datas: readonly KernelWorkerData[]): Promise<Worker[]> {
  const starting = datas.map(spawnKernelWorker);
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed === undefined) return settled.map((s) => (s as PromiseFulfilledResult<Worker>).value);
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.terminate() : undefined)));
  throw failed.reason;
}

// ---- worker pairs ----

/**
 * A client and a server worker over their own kernel, for one (spin budget, fastpath, words). A
 * cross-worker config and the floor compared with it share the pair, so that both are measured on
 * the same two threads in the same placement (a pair keeps the vCPUs the scheduler gave it).
 */
interface Pair {
  readonly client: Worker;
  readonly workers: readonly Worker[];
  readonly serverStats: Int32Array;
  users: number;
  /** Floor round trips played on the pair's ping-pong buffer so far. */
  floorBase: number;
}

const pairs = new Map<string, Promise<Pair>>();
let started = 0;

/** How many pairs this process has started (the tests check that floors share their config's pair). */
export function pairsStarted(): number {
  return started;
}

function pairKey(spin: number, fastpath: number, words: number): string {
  return `${spin}/${fastpath}/${words}`;
}

/** Client worker (1) calls a server worker (2) in another task. */
async function startPair(spin: number, fastpath: number, words: number): Promise<Pair> {
  started++;
  const m = await bootMachine(spin, fastpath);
  const clientTask = newTask(m);
  const serverTask = newTask(m);
  const clientTid = newThread(m, clientTask);
  const serverTid = newThread(m, serverTask);
  mintSend(m, clientTask, serverTid);
  const stats = new SharedArrayBuffer(SERVER_STATS_BYTES);
  const pingpong = new SharedArrayBuffer(PINGPONG_BYTES);
  const common = { module: m.module, memory: m.memory, pingpong, words };
  const server: ServerData = { ...common, role: 'server', tid: serverTid, workerNo: 2, peerTid: clientTid, stats };
  const client: ClientData = {
    ...common, role: 'client', tid: clientTid, workerNo: 1, peerTid: serverTid, handlerTid: 0,
  };
  const workers = await spawnAll([server, client]);
  return { client: workers[1]!, workers, serverStats: new Int32Array(stats), users: 0, floorBase: 0 };
}

/** The pair for (spin, fastpath, words), started by its first user; each user calls releasePair once. */
async function acquirePair(spin: number, fastpath: number, words: number): Promise<Pair> {
  const key = pairKey(spin, fastpath, words);
  let starting = pairs.get(key);
  if (starting === undefined) {
    starting = startPair(spin, fastpath, words);
    pairs.set(key, starting);
    starting.catch(() => pairs.delete(key));
  }
  const pair = await starting;
  pair.users++;
  return pair;
}

async function releasePair(spin: number, fastpath: number, words: number): Promise<void> {
  const key = pairKey(spin, fastpath, words);
  const pair = await pairs.get(key);
  if (pair === undefined || --pair.users > 0) return;
  pairs.delete(key);
  await Promise.all(pair.workers.map((w) => w.terminate()));
}

// ---- state, setup, run, teardown ----

interface KernelState {
  readonly name: string;
  readonly client: Worker;
  /** The server's SERVER_STATS, or undefined when colocated. */
  readonly serverStats?: Int32Array;
  /** Ends the state's workers (or its use of a shared pair). */
  readonly stop: () => Promise<void>;
  /** Server stats at the end of the previous run, to take this run's share. */
  lastSamples: number;
  lastAsleep: number;
}

async function setupCrossWorker(config: BenchConfig<KernelState>, words: number): Promise<KernelState> {
  const [spin, fastpath] = [kernelSpinOf(config), fastpathOf(config)];
  const pair = await acquirePair(spin, fastpath, words);
  const { client, serverStats } = pair;
  const stop = (): Promise<void> => releasePair(spin, fastpath, words);
  return { name: config.name, client, serverStats, stop, lastSamples: 0, lastAsleep: 0 };
}

/** One worker runs the client thread and, as a passive handler, a second thread of its task. */
async function setupColocated(config: BenchConfig<KernelState>, words: number): Promise<KernelState> {
  const m = await bootMachine(kernelSpinOf(config), fastpathOf(config));
  const task = newTask(m);
  const clientTid = newThread(m, task);
  const handlerTid = newThread(m, task);
  mintSend(m, task, handlerTid);
  const common = { module: m.module, memory: m.memory, pingpong: new SharedArrayBuffer(PINGPONG_BYTES), words };
  const client: ClientData = { ...common, role: 'client', tid: clientTid, workerNo: 1, peerTid: 0, handlerTid };
  const [worker] = await spawnAll([client]);
  const stop = async (): Promise<void> => void (await worker!.terminate());
  return { name: config.name, client: worker!, stop, lastSamples: 0, lastAsleep: 0 };
}

function serverErrors(state: KernelState): number {
  return state.serverStats === undefined ? 0 : Atomics.load(state.serverStats, SERVER_STATS.errors);
}

/** Fractions of sampled calls that found the peer asleep in the kernel (only when sampled at all). */
function sleepCounters(state: KernelState, done: KernelRunDone): Record<string, number> {
  const counters: Record<string, number> = {};
  if (done.samples > 0) counters['server-asleep'] = done.peerAsleep / done.samples;
  if (state.serverStats === undefined) return counters;
  const samples = Atomics.load(state.serverStats, SERVER_STATS.samples);
  const asleep = Atomics.load(state.serverStats, SERVER_STATS.peerAsleep);
  if (samples > state.lastSamples) {
    counters['client-asleep'] = (asleep - state.lastAsleep) / (samples - state.lastSamples);
  }
  state.lastSamples = samples;
  state.lastAsleep = asleep;
  return counters;
}

/** One run of the client's loop; fails if any reply (or, seen by the server, any request) was wrong. */
async function runKernel(state: KernelState, iterations: number): Promise<RunOutcome> {
  const reply = nextMessage<KernelRunDone>(state.client, REPORT_TIMEOUT_MS);
  state.client.postMessage({ kind: 'run', iterations } satisfies KernelRunRequest);
  const done = await reply;
  const bad = serverErrors(state);
  if (done.errors > 0 || bad > 0) {
    const first = done.firstError ?? 'none';
    throw new Error(`${state.name}: ${done.errors} of ${iterations} round trips wrong (server saw ${bad}); ${first}`);
  }
  return { elapsedNs: done.elapsedNs, counters: sleepCounters(state, done) };
}

async function stopKernel(state: KernelState): Promise<void> {
  await state.stop();
}

// ---- floors on a pair ----

/** A floor (spin-floor, atomics-floor) measured on the pair of the kernel config it is compared with. */
export interface FloorState {
  readonly pair: Pair;
  readonly mode: PingPongMode;
  readonly spinPolls: number;
  readonly stop: () => Promise<void>;
}

/** The floor of `mode` on the pair of a cross-worker config with kernel spin budget `kernelSpin` at 0 words. */
export async function setupFloor(mode: PingPongMode, spinPolls: number, kernelSpin: number): Promise<FloorState> {
  const pair = await acquirePair(kernelSpin, 1, 0);
  return { pair, mode, spinPolls, stop: () => releasePair(kernelSpin, 1, 0) };
}

/** One floor run: the client asks the server to play pong, then plays ping; counters: Atomics.wait calls per round trip. */
export async function runFloor(state: FloorState, iterations: number): Promise<RunOutcome> {
  const { pair } = state;
  const reply = nextMessage<KernelRunDone>(pair.client, REPORT_TIMEOUT_MS);
  const request: KernelFloorRequest = {
    kind: 'floor', mode: state.mode, spinPolls: state.spinPolls, iterations, base: pair.floorBase,
  };
  pair.client.postMessage(request);
  const done = await reply;
  if (done.errors > 0) throw new Error(`floor (${state.mode}): ${done.firstError ?? 'failed'}`);
  pair.floorBase += iterations;
  const pongWaits = Atomics.load(pair.serverStats, SERVER_STATS.floorWaits);
  return { elapsedNs: done.elapsedNs, counters: { 'ping-waits/rt': (done.waits ?? 0) / iterations, 'pong-waits/rt': pongWaits / iterations } };
}

export async function stopFloor(state: FloorState): Promise<void> {
  await state.stop();
}

// ---- the configurations ----

/**
 * The spin budget of call-cross-worker (and -slowpath): the kernel's default adaptive wait, as the
 * experiment is defined (DEFAULT_SPIN polls of waitSettled's loop, about 250 us here; spin-floor's
 * 20000 JS polls last about 280 us). Neither is spent in the steady state.
 */
export const CROSS_WORKER_SPIN = DEFAULT_SPIN;

const callCrossWorker: BenchConfig<KernelState> = {
  name: 'call-cross-worker',
  description:
    'kernel ipc_call / ipc_reply_wait between a client and a server worker, adaptive wait ' +
    '(options.spinPolls kernel polls); param: words each way; counters: share of sampled calls ' +
    '(1 in SAMPLE_EVERY) whose peer was asleep in the kernel when the message was about to go out',
  params: WORD_PARAMS,
  options: { spinPolls: CROSS_WORKER_SPIN, fastpath: 1 },
  setup: setupCrossWorker,
  run: runKernel,
  teardown: stopKernel,
};

const callCrossWorkerBlocking: BenchConfig<KernelState> = {
  name: 'call-cross-worker-blocking',
  description: 'as call-cross-worker with a spin budget of 0: every wait blocks in memory.atomic.wait32',
  params: NO_WORDS,
  options: { spinPolls: 0, fastpath: 1 },
  setup: setupCrossWorker,
  run: runKernel,
  teardown: stopKernel,
};

const callCrossWorkerSlowpath: BenchConfig<KernelState> = {
  name: 'call-cross-worker-slowpath',
  description: 'as call-cross-worker at 0 words with the lock-free fastpath off (kernel_set_fastpath(0))',
  params: NO_WORDS,
  options: { spinPolls: CROSS_WORKER_SPIN, fastpath: 0 },
  setup: setupCrossWorker,
  run: runKernel,
  teardown: stopKernel,
};

const callColocated: BenchConfig<KernelState> = {
  name: 'call-colocated',
  description: 'ipc_call to a passive handler thread of the caller\'s task in its worker, run on the caller\'s stack',
  params: WORD_PARAMS,
  setup: setupColocated,
  run: runKernel,
  teardown: stopKernel,
};

export const kernelConfigs: BenchConfig[] = [
  callCrossWorker,
  callCrossWorkerBlocking,
  callCrossWorkerSlowpath,
  callColocated,
];
