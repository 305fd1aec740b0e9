// The machine: boots the kernel over a fresh machine memory and starts the personality server task;
// after that the host is a device and a worker provider. Platform-neutral (Node and browsers share
// it). The host is the root task (as sigma0/roottask): it creates the server's task and thread, mints
// its rights and hands it every page frame above its own; the server's process manager creates every
// process (the first of `webmach run` on the host's request, like any other) and asks the host only
// for workers to run them in (a forked child's once its parent's task has handed over the image of
// its memory, which the host passes on); the console device (console.ts) fills and drains the
// console's rings.
import { Kernel, createMachineMemory, tcbOf } from '../kernel-as/bindings/kernel.js';
import {
  OK, RIGHT_NOTIFY, TASK_PRIVILEGED, PAGE_SIZE, ERROR_NAMES, MAX_THREADS, MAX_TASKS, FRAMES_BASE,
  TASK_BASE, TASK_SIZE, TASK_STATE, TASK_ALIVE,
  TCB_STATE, TCB_ID, TCB_TASK, TCB_PARTNER, TCB_RESULT, TCB_SLEEPING, TCB_FUTEX, TCB_NOTIFY, TCB_SENDQ_HEAD,
  TS_FREE, TS_DEAD,
} from '../kernel-as/bindings/abi.js';
import { SIGKILL } from '../abi/errno.js';
import { CONSOLE_RING_BYTES } from '../abi/ring.js';
import { CACHE_PAGES, SERVER_SELF_CAP, HOST_EVENT, type ForkImage, type TaskBoot } from '../abi/boot.js';
import type { HostToServer, MountSpec, WorkerToHost } from '../abi/service.js';
import type { ExitStatus } from '../abi/exit.js';
import type { Platform, WorkerHandle } from './platform.js';
import { WorkerPool } from './pool.js';
import { ConsoleDevice } from './console.js';

/** Capability slot in the root task naming the server (notifications from the host). */
const ROOT_SERVER_CAP = 0;
/** The root task's own frames: the console's input and output rings, at the bottom; the server's start above them. */
const INPUT_RING = FRAMES_BASE;
const OUTPUT_RING = FRAMES_BASE + CONSOLE_RING_BYTES;
const SERVER_FRAMES = FRAMES_BASE + 2 * CONSOLE_RING_BYTES;

export interface MachineOptions {
  /** Spare workers kept started for programs (default 1). */
  spareWorkers?: number;
  /** Kernel spin budget in polls (default: the kernel's). */
  spin?: number;
  /** Print every system call to stderr, strace-style. */
  trace?: boolean;
  /** Bytes each in-memory file system may hold (default: the platform's fileMemory). */
  fileMemory?: number;
  /** 4 KiB pages of host files' data the page cache holds before it steals (default: 16384, 64 MiB). */
  cachePages?: number;
  /**
   * The platform's standard input is a terminal the caller has put in raw mode, of this window size:
   * webmach runs the line discipline (personality/vfs/tty.ts) and ^C reaches the foreground group.
   */
  terminal?: { rows: number; cols: number };
}

export interface RunOptions {
  /** Directories to mount and preopen (fd 3 on), in order; "/" is always preopened after them. */
  mounts?: MountSpec[];
  /** The working directory the program starts in (default "/"): programs built with webmach's SDK enter it. */
  cwd?: string;
}

/** The id a kernel create call returned, or an error naming the call. */
function created(what: string, r: number): number {
  if (r < 0) throw new Error(`kernel: ${what} failed: ${ERROR_NAMES[-r] ?? r}`);
  return r;
}

const encoder = new TextEncoder();

/** How long a stopped task's worker may take to say its program returned, to be kept for the next task. */
const RECYCLE_WAIT_MS = 50;

/** Whether the task's program has returned (now or within RECYCLE_WAIT_MS): its worker is idle. */
function idle(task: { done: boolean; onDone?: () => void }): Promise<boolean> {
  if (task.done) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), RECYCLE_WAIT_MS);
    task.onDone = () => {
      clearTimeout(timer);
      resolve(true);
    };
  });
}

/** What the machine holds, counted: equal before and after a program that ended means it leaked nothing. */
export interface Census {
  /** Kernel tasks alive and threads in use, not dead (the root task and the server's included). */
  tasks: number;
  threads: number;
  /** Workers running tasks (not counting the pool's spares). */
  workers: number;
  /** Processes the server holds (zombies included) and its frames in use (the page cache's left out while they hold only files' data). */
  processes: number;
  frames: number;
  /** Mach ports and port sets alive, and port names held in all IPC spaces. */
  ports: number;
  rights: number;
}

/** What the server counts for a census. */
type ServerCensus = Pick<Census, 'processes' | 'frames' | 'ports' | 'rights'>;

/** A program the host asked the server to run: how its start and its end are told. */
interface Run {
  spawned: (error?: string) => void;
  ended: (status: ExitStatus) => void;
}

/** A view of the whole of its buffer, which can be transferred rather than copied. */
function wholeBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

export class Machine {
  private runs = new Map<number, Run>();
  private nextRequest = 1;
  /** Set once the server has died: how every process then ends. */
  private lost: ExitStatus | undefined;
  private unwatchOutput: (() => void) | undefined;
  private console!: ConsoleDevice;
  /** Workers running tasks, by the server's worker number (a promise while it is being taken from the pool). */
  private workers = new Map<number, Promise<WorkerHandle>>();
  /** The task each worker runs now, and whether its program has returned (the worker is idle again). */
  private tasks = new Map<WorkerHandle, { worker: number; done: boolean; onDone?: () => void }>();
  /** Workers being stopped or recycled (a census waits for them). */
  private stopping = new Set<Promise<void>>();
  private listening = new WeakSet<WorkerHandle>();
  /** Forked children by worker: the boot record (from the server) and the image (from the parent's task) that start it, as they come. */
  private forks = new Map<number, { boot?: Omit<TaskBoot, 'program'>; image?: ForkImage }>();
  /** Forked children that ended before their image came: the image is dropped when it comes. */
  private endedUnstarted = new Set<number>();
  private censuses = new Map<number, (m: ServerCensus) => void>();

  private constructor(
    private platform: Platform,
    readonly k: Kernel,
    private kernel: WebAssembly.Module,
    private pool: WorkerPool,
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
      const missing = SERVER_FRAMES - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE_SIZE));
      const [module, bootImage] = await Promise.all([platform.loadKernel(), platform.loadBootImage()]);
      const k = await Kernel.create(module, memory);
      const root = k.x.kernel_boot(options.spin ?? -1);
      if (k.attach(root, 0, platform.mainThreadMayBlock) !== OK) throw new Error('kernel: cannot attach the root thread');
      const m = new Machine(platform, k, module, pool, server);
      m.startServer(options, options.fileMemory ?? platform.fileMemory, bootImage);
      return m;
    } catch (e) {
      await Promise.all([pool.close(), server.terminate()]);
      throw e;
    }
  }

  private startServer(options: MachineOptions, fileMemory: number, bootImage: Uint8Array): void {
    const { trace = false, terminal: winsize, cachePages = CACHE_PAGES } = options;
    const task = created('task_create', this.k.x.task_create(TASK_PRIVILEGED));
    const tid = created('thread_create', this.k.x.thread_create(task));
    this.mint(0, ROOT_SERVER_CAP, tid, 0, RIGHT_NOTIFY);
    this.mint(task, SERVER_SELF_CAP, tid, 0, RIGHT_NOTIFY);
    this.server.listen((m) => this.fromServer(m));
    this.console = new ConsoleDevice(this.platform, this.k.memory, INPUT_RING, OUTPUT_RING, {
      wake: () => this.k.x.notify_post(ROOT_SERVER_CAP, HOST_EVENT),
      output: (fd, state) => this.toServer({ kind: 'output', fd, state }),
    }, winsize !== undefined);
    this.unwatchOutput = this.platform.watchOutput?.((fd, event) => this.console.outputEvent(fd, event));
    this.server.onError((e) => this.serverLost(e));
    const ttys = [0, 1, 2].reduce((bits, fd) => bits | (this.platform.isatty(fd) ? 1 << fd : 0), 0);
    this.server.post({ kind: 'server', kernel: this.kernel, memory: this.k.memory, task, tid, worker: 1, ttys, terminal: winsize !== undefined, winsize, trace, fileMemory, cachePages,
      inputRing: INPUT_RING, outputRing: OUTPUT_RING, frames: SERVER_FRAMES, bootImage }, wholeBuffer(bootImage) ? [bootImage.buffer] : []);
  }

  private mint(task: number, slot: number, tid: number, badge: number, rights: number): void {
    const r = this.k.x.cap_mint(task, slot, tid, badge, rights);
    if (r !== OK) throw new Error(`kernel: cap_mint failed: ${ERROR_NAMES[r]}`);
  }

  private fromServer(m: WorkerToHost): void {
    switch (m.kind) {
      case 'console': return this.console.write(m.fd, m.data);
      case 'trace': return this.console.write(2, encoder.encode(m.line + '\n'));
      case 'worker-start': return void this.startWorker(m.boot);
      case 'worker-stop': {
        const stop = this.stopWorker(m.worker);
        this.stopping.add(stop);
        return void stop.finally(() => this.stopping.delete(stop));
      }
      case 'worker-exec': return void this.workers.get(m.worker)?.then((w) => w.post({ kind: 'exec', program: m.program }));
      case 'worker-fork': return this.forked(m.boot.worker, { boot: m.boot });
      case 'spawned': return this.runs.get(m.request)?.spawned(m.error);
      case 'exit': // what the program wrote is in the output ring before its end: out with it first
        this.console.flush();
        return this.runs.get(m.request)?.ended(m.status);
      case 'census': return this.censuses.get(m.request)?.(m);
      case 'fault': return this.serverLost(m.message);
    }
  }

  /** Run a task in a worker from the pool; a worker that fails is reported gone, with why. */
  private async startWorker(boot: TaskBoot, transfer: Transferable[] = []): Promise<void> {
    const taking = this.pool.take();
    this.workers.set(boot.worker, taking);
    const w = await taking.catch((e: unknown) => this.gone(boot.worker, String(e)));
    if (!w || this.workers.get(boot.worker) !== taking) return;
    this.listen(w);
    this.tasks.set(w, { worker: boot.worker, done: false });
    w.post(boot, transfer);
  }

  /** A forked child's worker starts once both its boot record and its parent's image are here, in either order. */
  private forked(worker: number, part: { boot?: Omit<TaskBoot, 'program'>; image?: ForkImage }): void {
    if (this.endedUnstarted.delete(worker)) return;
    const { boot, image } = { ...this.forks.get(worker), ...part };
    if (!boot || !image) return void this.forks.set(worker, { boot, image });
    this.forks.delete(worker);
    void this.startWorker({ ...boot, program: image.program, image }, [image.memory]);
  }

  /** Hear a pooled worker once, whichever task it runs: 'done' (idle again), a fault, its death. */
  private listen(w: WorkerHandle): void {
    if (this.listening.has(w)) return;
    this.listening.add(w);
    w.listen((m) => {
      const task = this.tasks.get(w);
      if (!task) return;
      if (m.kind === 'done') {
        task.done = true;
        task.onDone?.();
      } else if (m.kind === 'fork') this.forked(m.worker, { image: m.image });
      else if (m.kind === 'fault') void this.stopWorker(task.worker, `task library fault: ${m.message}`);
    });
    w.onError((e) => {
      const task = this.tasks.get(w);
      if (task) void this.stopWorker(task.worker, `worker died: ${e}`);
    });
  }

  /**
   * A task's worker is no longer needed; the server hears that it is gone (once), and why if it
   * failed. A worker whose program returned by itself (it says 'done' at once, or within
   * RECYCLE_WAIT_MS) goes back to the pool; any other (a program still running, a fault) is ended.
   */
  private async stopWorker(worker: number, fault?: string): Promise<void> {
    if (this.forks.delete(worker)) { // a forked child ended before its image came (with it, it would have started)
      this.endedUnstarted.add(worker);
      return this.gone(worker, fault);
    }
    const taking = this.workers.get(worker);
    if (!taking) return;
    this.workers.delete(worker);
    const w = await taking.catch(() => undefined);
    if (w) {
      const task = this.tasks.get(w);
      this.pool.leaving();
      const recycle = !fault && task !== undefined && (await idle(task));
      this.tasks.delete(w);
      if (recycle) this.pool.returned(w);
      else {
        this.pool.returned(undefined);
        await w.terminate();
        this.pool.forget(w);
      }
    }
    this.gone(worker, fault);
  }

  private gone(worker: number, fault?: string): undefined {
    this.workers.delete(worker);
    if (!this.lost) this.toServer({ kind: 'worker-gone', worker, fault });
    return undefined;
  }

  /** The personality server died: every process ends (its system calls can no longer be served). */
  private serverLost(reason: string): void {
    this.platform.write(2, encoder.encode(`webmach: the personality server failed: ${reason}\n`));
    this.lost = { signal: SIGKILL, reason: 'personality server failed' };
    for (const run of this.runs.values()) {
      run.spawned();
      run.ended(this.lost);
    }
    for (const worker of [...this.workers.keys()]) void this.stopWorker(worker);
  }

  /** Post the server a message and raise its host-event notification so it reads it. */
  private toServer(m: HostToServer): void {
    this.server.post(m);
    this.k.x.notify_post(ROOT_SERVER_CAP, HOST_EVENT);
  }

  /**
   * Run `program` as a new process (the server's process manager makes it); resolves with how it
   * ended. Rejects (before the program starts) when the server cannot make it: a mount that fails,
   * arguments too large for the commpage.
   */
  async run(program: WebAssembly.Module, args: string[], env: string[] = [], options: RunOptions = {}): Promise<ExitStatus> {
    if (this.lost) return this.lost;
    const request = this.nextRequest++;
    let spawned!: (error?: string) => void;
    let ended!: (status: ExitStatus) => void;
    const start = new Promise<string | undefined>((resolve) => (spawned = resolve));
    const end = new Promise<ExitStatus>((resolve) => (ended = resolve));
    this.runs.set(request, { spawned, ended });
    try {
      this.toServer({ kind: 'spawn', request, program, name: args[0] ?? 'program', args, env, mounts: options.mounts ?? [], cwd: options.cwd ?? '/' });
      const error = await start;
      if (error !== undefined) throw new Error(error);
      return await end;
    } finally {
      this.runs.delete(request);
    }
  }

  /** The terminal's window changed size: the foreground group hears SIGWINCH. */
  resize(rows: number, cols: number): void {
    if (!this.lost) this.toServer({ kind: 'winsize', rows, cols });
  }

  /** End every process still running (SIGKILL), as a system going down does; `census` then shows what they gave back. */
  endAll(): void {
    if (!this.lost) this.toServer({ kind: 'end-all' });
  }

  /** Count what the machine holds (kernel objects, workers, and the server's processes and frames). */
  async census(): Promise<Census> {
    await Promise.all(this.stopping); // a process that ended may still be giving back its worker
    const request = this.nextRequest++;
    const server = await new Promise<ServerCensus>((resolve) => {
      this.censuses.set(request, resolve);
      this.toServer({ kind: 'census', request });
    });
    this.censuses.delete(request);
    const w = this.k.view();
    const count = (n: number, base: number, stride: number, field: number, live: (v: number) => boolean) =>
      Array.from({ length: n }, (_, i) => Atomics.load(w, (base + i * stride + field) >> 2)).filter(live).length;
    return {
      tasks: count(MAX_TASKS, TASK_BASE, TASK_SIZE, TASK_STATE, (v) => v === TASK_ALIVE),
      threads: count(MAX_THREADS, tcbOf(0), tcbOf(1) - tcbOf(0), TCB_STATE, (v) => (v & 0xf) !== TS_FREE && (v & 0xf) !== TS_DEAD), // dead slots are free to reuse
      workers: this.workers.size,
      processes: server.processes,
      frames: server.frames,
      ports: server.ports,
      rights: server.rights,
    };
  }

  async shutdown(): Promise<void> {
    this.unwatchOutput?.();
    const workers = [...this.workers.values()].map(async (w) => (await w.catch(() => undefined))?.terminate());
    this.workers.clear();
    this.tasks.clear();
    await Promise.all([this.pool.close(), this.server.terminate(), ...workers]);
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
