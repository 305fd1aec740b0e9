// Shared helpers of the kernel tests: boot a machine (the built kernel over a fresh machine memory,
// the host attached as root thread on the test's own thread), create tasks, threads and capabilities,
// and spawn scripted workers (fixtures/scenario.mjs) that attach to a thread and run a named
// scenario. Every wait here has a deadline, and useMachines() terminates all workers after each test.
// What this does not do: assert anything about the kernel (the *.test.ts files do).
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach } from 'vitest';
import * as distKernel from '../../dist/kernel-as/bindings/kernel.js';
import * as distAbi from '../../dist/kernel-as/bindings/abi.js';
import type * as SrcKernel from '../../kernel-as/bindings/kernel.js';
import type * as SrcAbi from '../../kernel-as/bindings/abi.js';

/** The built binding and ABI constants, typed from their sources. */
export const kb = distKernel as unknown as typeof SrcKernel;
export const abi = distAbi as unknown as typeof SrcAbi;
export type Kernel = SrcKernel.Kernel;

export const KERNEL_WASM = new URL('../../build/kernel.wasm', import.meta.url);
export const SCENARIO = new URL('./fixtures/scenario.mjs', import.meta.url);

/** Microseconds, the kernel's timeout unit. */
export const US_PER_MS = 1000;
/** Bound on a worker's blocking calls in the tests: long enough never to fire unless something hangs. */
export const LONG_US = 10_000_000;

let compiled: Promise<WebAssembly.Module> | undefined;

/** The kernel module, compiled once per test file and shared (by workerData) with every worker. */
export function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(readFileSync(KERNEL_WASM));
  return compiled;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reject with a message naming `what` if `p` has not settled after `ms`. */
export function deadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Poll `cond` every millisecond or so until it holds; throws after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(1);
  }
}

/** A message a worker posted: an event on the way, or its final result. */
type WorkerMessage =
  | { kind: 'event'; name: string; data: unknown }
  | { kind: 'done'; value: unknown }
  | { kind: 'fail'; error: string };

/** One worker running a scenario as one thread; its events and result as promises. */
export class ScriptWorker {
  readonly worker: Worker;
  readonly tid: number;
  private readonly events = new Map<string, unknown[]>();
  private readonly waiters: Array<{ name: string; n: number; resolve: (v: unknown) => void }> = [];
  private readonly finished: Promise<unknown>;
  private exited = false;

  constructor(worker: Worker, tid: number) {
    this.worker = worker;
    this.tid = tid;
    this.finished = new Promise((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'event') this.record(m.name, m.data);
        else if (m.kind === 'done') resolve(m.value);
        else reject(new Error(`worker for thread ${tid} failed: ${m.error}`));
      });
      worker.on('error', (e) => reject(e));
      worker.on('exit', (code) => {
        this.exited = true;
        reject(new Error(`worker for thread ${tid} exited (${code}) before finishing`));
      });
    });
    this.finished.catch(() => undefined); // observed through result(); avoid unhandled rejections
  }

  private record(name: string, data: unknown): void {
    const list = this.events.get(name) ?? [];
    list.push(data);
    this.events.set(name, list);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w.name === name && list.length >= w.n) {
        this.waiters.splice(i, 1);
        w.resolve(list[w.n - 1]);
      }
    }
  }

  /** The data of the `n`th event called `name` (waits for it). */
  event<T = Record<string, unknown>>(name: string, ms = 10_000, n = 1): Promise<T> {
    const list = this.events.get(name);
    if (list !== undefined && list.length >= n) return Promise.resolve(list[n - 1] as T);
    const p = new Promise<unknown>((resolve) => this.waiters.push({ name, n, resolve }));
    // Events arrive before the result, so a worker that finished without this event never sends it.
    const ended = this.finished.then(() => {
      throw new Error(`thread ${this.tid} finished without event '${name}'`);
    });
    return deadline(Promise.race([p, ended]), ms, `event '${name}' of thread ${this.tid}`) as Promise<T>;
  }

  /** Whether an event called `name` has arrived yet (no waiting). */
  has(name: string): boolean {
    return (this.events.get(name)?.length ?? 0) > 0;
  }

  /** The scenario's result (waits for it). */
  result<T = Record<string, Rec>>(ms = 20_000): Promise<T> {
    return deadline(this.finished, ms, `result of thread ${this.tid}`) as Promise<T>;
  }

  post(message: unknown): void {
    this.worker.postMessage(message);
  }

  async terminate(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }
}

/** What script's 'x' steps record: the return code, elapsed ms, and a snapshot of the message. */
export interface Rec {
  r: number;
  ms: number;
  mr0: number;
  label: number;
  words: number[];
  sender: number;
  badge: number;
  error: number;
  bad?: number;
}

/** One step of the 'script' scenario (see fixtures/scenario.mjs). */
export type Op =
  | { op: 'x'; fn: keyof SrcKernel.KernelExports; args?: Array<number | '$sender'>; name?: string }
  | { op: 'msg'; label: number; words?: number[]; bulk?: [number, number]; mr0or?: number; name?: string }
  | { op: 'mr0'; value: number; name?: string }
  | { op: 'fakeIdentity'; sender: number; badge: number; name?: string }
  | { op: 'buffer'; addr: number; len: number; name?: string }
  | { op: 'fill'; addr: number; len: number; seed: number; name?: string }
  | { op: 'check'; addr: number; len: number; seed: number; name?: string }
  | { op: 'checkZero'; addr: number; len: number; name?: string }
  | { op: 'signal'; i: number; v: number; name?: string }
  | { op: 'wait'; i: number; v: number; ms?: number; name?: string }
  | { op: 'sleep'; ms: number; name?: string };

/** Shorthand for a kernel call step. */
export function x(fn: keyof SrcKernel.KernelExports, args: Array<number | '$sender'> = [], name?: string): Op {
  return { op: 'x', fn, args, name };
}

export interface MachineOptions {
  /** Spin budget (KHDR.SPIN); default: the kernel's default. */
  spin?: number;
  /** Fastpath on (1, the default) or off (0). */
  fastpath?: 0 | 1;
}

/** A booted machine: kernel module, machine memory, the host's kernel instance and its workers. */
export class Machine {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly k: Kernel;
  readonly root: number;
  /** Shared flags for synchronising the test with scripted workers (script ops 'signal'/'wait'). */
  readonly flags = new Int32Array(new SharedArrayBuffer(64 * 4));
  private readonly workers: ScriptWorker[] = [];
  private nextWorkerNo = 1;

  private constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, k: Kernel, root: number) {
    this.module = module;
    this.memory = memory;
    this.k = k;
    this.root = root;
  }

  static async boot(opts: MachineOptions = {}): Promise<Machine> {
    const module = await kernelModule();
    const memory = kb.createMachineMemory();
    const k = await kb.Kernel.create(module, memory);
    const root = k.x.kernel_boot(opts.spin ?? -1);
    if (root <= 0) throw new Error(`kernel_boot returned ${root}`);
    const a = k.attach(root, 0);
    if (a !== abi.OK) throw new Error(`attach(root) returned ${a}`);
    if (opts.fastpath !== undefined && k.x.kernel_set_fastpath(opts.fastpath) !== abi.OK) throw new Error('set_fastpath');
    return new Machine(module, memory, k, root);
  }

  /** A new task (unprivileged unless `flags` says otherwise). */
  task(flags = 0): number {
    const t = this.k.x.task_create(flags);
    if (t < 0) throw new Error(`task_create returned ${t}`);
    return t;
  }

  thread(task: number): number {
    const tid = this.k.x.thread_create(task);
    if (tid <= 0) throw new Error(`thread_create(${task}) returned ${tid}`);
    return tid;
  }

  mint(task: number, slot: number, tid: number, badge: number, rights: number): void {
    const r = this.k.x.cap_mint(task, slot, tid, badge, rights);
    if (r !== abi.OK) throw new Error(`cap_mint(${task}, ${slot}, ${tid}) returned ${r}`);
  }

  /** Start a worker that attaches to `tid` (0: stays unattached) and runs `scenario` with `args`. */
  spawn(tid: number, scenario: string, args: unknown = {}): ScriptWorker {
    const workerNo = this.nextWorkerNo++;
    const worker = new Worker(SCENARIO, {
      workerData: { module: this.module, memory: this.memory, sync: this.flags.buffer, tid, workerNo, scenario, args },
    });
    const w = new ScriptWorker(worker, tid);
    this.workers.push(w);
    return w;
  }

  /** Start a worker running the 'script' scenario as thread `tid`. */
  script(tid: number, ops: Op[]): ScriptWorker {
    return this.spawn(tid, 'script', { ops });
  }

  /** thread_state(tid) as the host sees it. */
  state(tid: number): number {
    return this.k.x.thread_state(tid);
  }

  /** Wait until thread `tid` is in `state` (TS_*). */
  waitState(tid: number, state: number, ms = 5000): Promise<void> {
    return until(() => this.state(tid) === state, `thread ${tid} in state ${state} (is ${this.state(tid)})`, ms);
  }

  /** Word `field` (byte offset) of thread `tid`'s TCB, read through the machine memory. */
  tcbWord(tid: number, field: number): number {
    const at = kb.tcbOf(tid) + field;
    return Atomics.load(new Int32Array(this.memory.buffer), at >> 2);
  }

  setFlag(i: number, v: number): void {
    Atomics.store(this.flags, i, v);
    Atomics.notify(this.flags, i);
  }

  waitFlag(i: number, v: number, ms = 5000): Promise<void> {
    return until(() => Atomics.load(this.flags, i) === v, `flag ${i} == ${v}`, ms);
  }

  /** Terminate the workers, then check that nothing wrote over the kernel header's magic word. */
  async shutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    const magic = new Int32Array(this.memory.buffer)[(abi.KHDR_BASE + abi.KHDR_MAGIC) >> 2];
    if (magic !== abi.ABI_MAGIC) throw new Error(`kernel header magic overwritten: ${magic}`);
  }
}

/** A server thread in one task and a client thread in another holding slot 0 -> server with `badge`. */
export function pair(m: Machine, badge = 4242) {
  const serverTask = m.task();
  const server = m.thread(serverTask);
  const clientTask = m.task();
  const client = m.thread(clientTask);
  m.mint(clientTask, 0, server, badge, abi.RIGHT_SEND);
  return { serverTask, server, clientTask, client, badge };
}

/** Register an afterEach that shuts down every machine booted through the returned function. */
export function useMachines(): (opts?: MachineOptions) => Promise<Machine> {
  const booted: Machine[] = [];
  afterEach(async () => {
    await Promise.all(booted.map((m) => m.shutdown()));
    booted.length = 0;
  });
  return async (opts?: MachineOptions) => {
    const m = await Machine.boot(opts);
    booted.push(m);
    return m;
  };
}

/** The kernel configurations IPC behaviour must not depend on. */
export const CONFIGS: Array<{ name: string; fastpath: 0 | 1; spin?: number }> = [
  { name: 'fastpath on, default spin', fastpath: 1 },
  { name: 'fastpath off, default spin', fastpath: 0 },
  { name: 'fastpath on, spin 0', fastpath: 1, spin: 0 },
  { name: 'fastpath off, spin 0', fastpath: 0, spin: 0 },
];
