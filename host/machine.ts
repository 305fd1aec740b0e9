// The machine: boots the kernel over a fresh machine memory, starts the personality server task, and
// runs programs as tasks in pooled workers. Platform-neutral (Node and browsers share it). The host is
// the root task: it creates tasks and threads and mints their capabilities, as sigma0/roottask does.
import { Kernel, createMachineMemory, tcbOf } from '../kernel-as/bindings/kernel.js';
import {
  OK, RIGHT_SEND, RIGHT_NOTIFY, TASK_PRIVILEGED, PAGE_SIZE, ERROR_NAMES, MAX_THREADS,
  TCB_STATE, TCB_ID, TCB_TASK, TCB_PARTNER, TCB_RESULT, TCB_SLEEPING, TCB_FUTEX, TCB_NOTIFY, TCB_SENDQ_HEAD,
  TS_FREE,
} from '../kernel-as/bindings/abi.js';
import { SERVER_CAP } from '../personality/interfaces/bsd.js';
import { SIGKILL } from '../personality/interfaces/errno.js';
import { SERVER_SELF_CAP, HOST_EVENT, type HostToWorker, type WorkerToHost } from '../workers/protocol.js';
import type { MountSpec, ProcessSpec } from '../personality/interfaces/process.js';
import type { ExitStatus } from '../personality/interfaces/exit.js';
import type { Platform, WorkerHandle } from './platform.js';
import { WorkerPool } from './pool.js';
import { FrameAllocator } from './frames.js';
import { ConsoleDevice } from './console.js';

/** Capability slot in the root task naming the server (notifications from the host). */
const ROOT_SERVER_CAP = 0;

export interface MachineOptions {
  /** Spare workers kept started for programs (default 1). */
  spareWorkers?: number;
  /** Kernel spin budget in polls (default: the kernel's). */
  spin?: number;
  /** Print every system call to stderr, strace-style. */
  trace?: boolean;
  /** Bytes each in-memory file system may hold (default: the platform's fileMemory). */
  fileMemory?: number;
}

export interface RunOptions {
  /** Directories to mount and preopen (fd 3 on), in order; "/" is always preopened after them. */
  mounts?: MountSpec[];
}

const encoder = new TextEncoder();

/** The id a kernel create call returned, or an error naming the call. */
function created(what: string, r: number): number {
  if (r < 0) throw new Error(`kernel: ${what} failed: ${ERROR_NAMES[-r] ?? r}`);
  return r;
}

export class Machine {
  private serverTid = 0;
  private pending = new Map<number, (status: ExitStatus) => void>();
  private registered = new Map<number, (error?: string) => void>();
  /** Set once the server has died: how every process then ends. */
  private lost: ExitStatus | undefined;
  private nextPid = 1;
  private unwatchOutput: (() => void) | undefined;
  private nextWorker = 1;
  private console!: ConsoleDevice;

  private constructor(
    private platform: Platform,
    readonly k: Kernel,
    private kernel: WebAssembly.Module,
    private pool: WorkerPool,
    private frames: FrameAllocator,
    private server: WorkerHandle,
  ) {}

  /**
   * Boot. Starting a worker takes far longer than anything else here (tens of milliseconds), so the
   * server's worker and the pool's (the first program's) start first; the kernel is compiled and
   * booted meanwhile, and the server's boot record is posted without waiting for its worker to be
   * up (it finds the record waiting, and loads only the server's code). Boot returns once the
   * record is posted: the first request to the server waits for it.
   */
  static async boot(platform: Platform, options: MachineOptions = {}): Promise<Machine> {
    const server = platform.startWorker();
    const pool = new WorkerPool(platform, options.spareWorkers ?? 1);
    try {
      const memory = createMachineMemory();
      const module = await platform.loadKernel();
      const k = await Kernel.create(module, memory);
      const root = k.x.kernel_boot(options.spin ?? -1);
      if (k.attach(root, 0, platform.mainThreadMayBlock) !== OK) throw new Error('kernel: cannot attach the root thread');
      const m = new Machine(platform, k, module, pool, new FrameAllocator(memory), server);
      m.startServer(options.trace ?? false, options.fileMemory ?? platform.fileMemory);
      return m;
    } catch (e) {
      await Promise.all([pool.close(), server.terminate()]);
      throw e;
    }
  }

  private startServer(trace: boolean, fileMemory: number): void {
    const task = created('task_create', this.k.x.task_create(TASK_PRIVILEGED));
    this.serverTid = created('thread_create', this.k.x.thread_create(task));
    this.mint(0, ROOT_SERVER_CAP, this.serverTid, 0, RIGHT_NOTIFY);
    this.mint(task, SERVER_SELF_CAP, this.serverTid, 0, RIGHT_NOTIFY);
    this.server.listen((m) => this.fromServer(m));
    this.console = new ConsoleDevice(this.platform, this.k.memory, (count) => this.frames.allocRun(count), {
      wake: () => this.k.x.notify_post(ROOT_SERVER_CAP, HOST_EVENT),
      output: (fd, state) => this.toServer({ kind: 'output', fd, state }),
    });
    this.unwatchOutput = this.platform.watchOutput?.((fd, event) => this.console.outputEvent(fd, event));
    this.server.onError((e) => this.serverLost(e));
    const ttys = [0, 1, 2].reduce((bits, fd) => bits | (this.platform.isatty(fd) ? 1 << fd : 0), 0);
    this.server.post({ kind: 'server', kernel: this.kernel, memory: this.k.memory, tid: this.serverTid, worker: this.nextWorker++, ttys, trace, fileMemory,
      inputRing: this.console.inputAddr });
  }

  private mint(task: number, slot: number, tid: number, badge: number, rights: number): void {
    const r = this.k.x.cap_mint(task, slot, tid, badge, rights);
    if (r !== OK) throw new Error(`kernel: cap_mint failed: ${ERROR_NAMES[r]}`);
  }

  private fromServer(m: WorkerToHost): void {
    if (m.kind === 'console') this.output(m.fd, m.data);
    else if (m.kind === 'exit') this.pending.get(m.task)?.(m.status);
    else if (m.kind === 'process-ready') this.registered.get(m.task)?.(m.error);
    else if (m.kind === 'trace') this.output(2, encoder.encode(m.line + '\n'));
    else if (m.kind === 'fault') this.serverLost(m.message);
  }

  /** Output the server wrote for a program (or its trace): through the console device, after what the rings hold. */
  private output(fd: number, data: Uint8Array): void {
    this.console.write(fd, data);
  }

  /** The personality server died: every process ends (its system calls can no longer be served). */
  private serverLost(reason: string): void {
    this.platform.write(2, encoder.encode(`webmach: the personality server failed: ${reason}\n`));
    this.lost = { signal: SIGKILL, reason: 'personality server failed' };
    for (const end of this.pending.values()) end(this.lost);
    for (const ready of this.registered.values()) ready();
  }

  /** Post the server a message and raise its host-event notification so it reads it. */
  private toServer(m: HostToWorker): void {
    this.server.post(m);
    this.k.x.notify_post(ROOT_SERVER_CAP, HOST_EVENT);
  }

  /**
   * Run `program` as a new process; resolves with how it ended. Rejects (before the program starts)
   * when the server cannot prepare it: a mount that fails, arguments too large for the commpage.
   */
  async run(program: WebAssembly.Module, args: string[], env: string[] = [], options: RunOptions = {}): Promise<ExitStatus> {
    if (this.lost) return this.lost;
    const task = created('task_create', this.k.x.task_create(0));
    const tid = created('thread_create', this.k.x.thread_create(task));
    this.mint(task, SERVER_CAP, this.serverTid, task, RIGHT_SEND);
    this.k.x.task_set_exc_handler(task, this.serverTid);
    this.k.x.task_set_pager(task, this.serverTid);
    const window = this.frames.alloc();
    const commpage = this.frames.alloc();
    const output = this.console.openOutput();
    const release = () => {
      this.k.x.task_destroy(task);
      this.frames.release(window);
      this.frames.release(commpage);
      output.close();
    };
    const error = await this.prepare({ task, pid: this.nextPid++, name: args[0] ?? 'program', args, env, window, commpage, outputRing: output.addr,
      mounts: options.mounts ?? [] });
    if (error !== undefined || this.lost) {
      release();
      if (this.lost) return this.lost;
      throw new Error(error);
    }
    const worker = await this.pool.take();
    const ended = new Promise<ExitStatus>((resolve) => {
      this.pending.set(task, resolve);
      worker.listen((m) => m.kind === 'fault' && resolve({ signal: SIGKILL, reason: `task library fault: ${m.message}` }));
      worker.onError((e) => resolve({ signal: SIGKILL, reason: `worker died: ${e}` }));
    });
    worker.post({ kind: 'task', kernel: this.kernel, memory: this.k.memory, program, tid, worker: this.nextWorker++, window, windowLen: PAGE_SIZE, commpage });
    const status = await ended;
    this.pending.delete(task);
    await worker.terminate();
    this.pool.forget(worker);
    if (!this.lost) this.toServer({ kind: 'reap', task });
    release();
    return status;
  }

  /** Ask the server to set up a process; its error message, if it could not. */
  private async prepare(spec: ProcessSpec): Promise<string | undefined> {
    const error = await new Promise<string | undefined>((resolve) => {
      this.registered.set(spec.task, resolve);
      this.toServer({ kind: 'process', ...spec });
    });
    this.registered.delete(spec.task);
    return error;
  }

  async shutdown(): Promise<void> {
    this.unwatchOutput?.();
    await Promise.all([this.pool.close(), this.server.terminate()]);
  }

  /** One line per thread in use: id, task, state, partner, result, sleeping, event count (for debugging). */
  describeThreads(): string {
    const w = this.k.view();
    const lines: string[] = [];
    for (let i = 0; i < MAX_THREADS; i++) {
      const at = tcbOf(i) >> 2;
      const word = (field: number) => Atomics.load(w, at + (field >> 2));
      if (word(TCB_STATE) === TS_FREE) continue;
      const state = word(TCB_STATE);
      lines.push(`thread ${word(TCB_ID).toString(16)} task ${word(TCB_TASK)} state ${state & 0xf}${state > 0xf ? ` (claim ${state.toString(16)})` : ''}` +
        ` partner ${word(TCB_PARTNER).toString(16)} result ${word(TCB_RESULT)} sleeping ${word(TCB_SLEEPING)} futex ${word(TCB_FUTEX)}` +
        ` notify ${word(TCB_NOTIFY)} sendq ${word(TCB_SENDQ_HEAD)}`);
    }
    return lines.join('\n') + '\n';
  }
}
