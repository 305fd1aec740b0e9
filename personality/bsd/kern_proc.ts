// The process manager (XNU's kern_fork, kern_exit): makes a process — a kernel task and thread with
// the right to call the server (badged with the task) and the server as its exception handler and
// pager, frames for its message window and commpage, its descriptors (the mounts' for a process the
// host starts, the parent's for a spawned or forked child) — and asks the host for a worker to run
// it in. It ends one in two steps: at once it stops answering the process, closes its descriptors,
// tells its parent (a zombie its wait4 reaps; SIGCHLD) and asks the host to stop its worker (which
// the host keeps for another task if the program returned); once the worker is gone (so nothing can
// still run the program and write its frames) it destroys the task, gives the frames back, reports
// the end to the host for a process the host started (the host first hands on what the console's
// output ring holds), and forgets the process if it was reaped meanwhile (a process whose parent
// is gone is reaped at once, and its children are orphaned).
import { type Kernel } from '../../kernel-as/bindings/kernel.js';
import { OK, RIGHT_SEND, PAGE_SIZE, ERROR_NAMES } from '../../kernel-as/bindings/abi.js';
import type { TaskBoot } from '../../abi/boot.js';
import type { MountSpec } from '../../abi/service.js';
import { SERVER_CAP } from '../../abi/bsd.js';
import { E2BIG, EIO, SIGCHLD, SIGKILL } from '../../abi/errno.js';
import type { ExitStatus } from '../../abi/exit.js';
import { writeCommpage, forkCommpage, commpageConsoleWord, commpageFastpathTable, commpagePpid, commpageSignalWord, commpageStopWord, COMMPAGE_TRACE } from '../../abi/commpage.js';
import { SigState } from './kern_sig.js';
import { RIGHTS_ALL, RIGHTS_DIR, RIGHTS_TTY } from '../../abi/wasi.js';
import { FdTable, OpenFile } from '../vfs/file.js';
import type { Vfs } from '../vfs/vfs.js';
import type { Vnode } from '../vfs/vnode.js';
import type { FrameAllocator } from '../vm/frames.js';
import { ProcessTable, type Process } from './proc.js';

/** The descriptor limit (RLIMIT_NOFILE) of every process. */
export const NOFILE = 1024;

/** What the process manager asks of the host: workers. */
export interface ProcessHost {
  startWorker(boot: TaskBoot): void;
  stopWorker(worker: number): void;
  /** Have worker `worker`, whose program has just ended by exec, run `program` in the same task. */
  execWorker(worker: number, program: WebAssembly.Module): void;
  /** Start a forked child's worker, with the program and memory image its parent's task hands the host. */
  forkWorker(boot: Omit<TaskBoot, 'program'>): void;
  /** A process the host started ended. */
  exited(request: number, status: ExitStatus): void;
}

/** What the manager needs of the machine and the server. */
export interface ProcessContext {
  k: Kernel;
  /** The compiled kernel and the server's own thread (the right every task gets names it). */
  kernel: WebAssembly.Module;
  serverTid: number;
  frames: FrameAllocator;
  vfs: Vfs;
  /** Bit i set: descriptor i (0-2) of a process is a terminal. */
  ttys: number;
  /** The console's rings: every process reads the one and writes the other. */
  inputRing: number;
  outputRing: number;
  tracing: () => boolean;
  /** The process's descriptors may have changed (the console word, the pipe table). */
  descriptorsChanged(proc: Process): void;
  /** The process ended: its parked calls go. */
  ended(proc: Process): void;
  /** Its worker is gone: what it may have held in shared memory (a pipe's writer lock) is let go. */
  gone(proc: Process): void;
  /** Wake the calls parked on `channel` (a parent's wait4). */
  wakeup(channel: object): void;
  /** Post a signal to a process (a parent's SIGCHLD). */
  signal(proc: Process, signal: number): void;
}

/** A program to run, and what it starts with. */
export interface Program {
  program: WebAssembly.Module;
  name: string;
  args: string[];
  env: string[];
  /** The working directory it starts in (an absolute path: the program's libc keeps it). */
  cwd: string;
}

/** A process to make. */
interface ProcSpec {
  name: string;
  args: readonly string[];
  /** Its descriptors: the parent's (spawn, fork), or made from mounts (a process the host starts). */
  fds: FdTable | MountSpec[];
  ppid: number;
  /** The parent (spawn, fork): the child starts in its group and session, with its signal state as forChild gives it. A process the host starts leads a session of its own, with default signals. */
  parent?: Process;
  /** The spawn's attributes: a group to join (0: a group of its own), a new session, the signal state. */
  pgid?: number;
  newSession?: boolean;
  sig?: SigState;
  /** The host's request, for a process the host started. */
  request?: number;
}

export interface SpawnSpec extends ProcSpec, Program {
  args: string[];
}

/** Why a process could not be made: the message the host gets, the errno a spawning program gets. */
export class SpawnError extends Error {
  constructor(message: string, readonly errno = EIO) {
    super(message);
  }
}

/**
 * Whether a preopen named `guest` is what wasi-libc resolves every path against: it strips leading
 * "./" and "/" from preopen names, so "." and "/" both become the empty prefix, and the one
 * registered last wins. A program given `--dir .` or `--dir HOST::/` expects relative and absolute
 * paths to reach that directory (as under wasmtime), so then webmach's own root is not preopened at all.
 */
function namesCurrentDirectory(guest: string): boolean {
  return /^(\.?\/)*\.?$/.test(guest);
}

/** The id a kernel create call returned (negative: an error). */
function created(what: string, r: number): number {
  if (r < 0) throw new SpawnError(`kernel: ${what} failed: ${ERROR_NAMES[-r] ?? r}`);
  return r;
}

/** A kernel call that returns a status. */
function done(what: string, r: number): void {
  if (r !== OK) throw new SpawnError(`kernel: ${what} failed: ${ERROR_NAMES[r] ?? r}`);
}

export class ProcessManager {
  readonly procs = new ProcessTable();
  /** The worker number of the next task (the root task's is 0, the server's 1). */
  private nextWorker = 2;

  constructor(private c: ProcessContext, private host: ProcessHost) {}

  /** Make a process and start it in a worker; throws SpawnError (having undone everything) when it cannot. */
  spawn(spec: SpawnSpec): Process {
    const { proc, boot } = this.create(spec, (page, pid) => this.writeCommpage(page, pid, spec.ppid, spec));
    proc.execed = true;
    this.host.startWorker({ ...boot, program: spec.program });
    return proc;
  }

  /**
   * fork: a child of `parent` with a copy of its commpage (arguments, environment, directory; its
   * own pid, nothing pending), its descriptors (sharing their open files), signal actions and mask,
   * group and session. Its worker starts once the parent's task hands the host its memory image.
   */
  fork(parent: Process): Process {
    const from = new Uint8Array(this.c.k.memory.buffer, parent.commpage, PAGE_SIZE);
    const fds = parent.fds.inherit();
    try {
      const { proc, boot } = this.create({ name: parent.name, args: parent.args, fds, ppid: parent.pid, parent, sig: parent.sig.forFork() },
        (page, pid) => forkCommpage(page, from, pid, parent.pid));
      this.host.forkWorker(boot);
      return proc;
    } catch (e) {
      fds.closeAll();
      throw e;
    }
  }

  /** The process `spec` describes, on a new task with frames for its window and commpage (written by `writePage`), and the boot record of its worker. */
  private create(spec: ProcSpec, writePage: (page: Uint8Array, pid: number) => void): { proc: Process; boot: Omit<TaskBoot, 'program'> } {
    const { k, frames } = this.c;
    const task = created('task_create', k.x.task_create(0));
    const undo: Array<() => void> = [() => k.x.task_destroy(task)];
    try {
      const tid = created('thread_create', k.x.thread_create(task));
      done('cap_mint', k.x.cap_mint(task, SERVER_CAP, this.c.serverTid, task, RIGHT_SEND));
      done('task_set_exc_handler', k.x.task_set_exc_handler(task, this.c.serverTid));
      done('task_set_pager', k.x.task_set_pager(task, this.c.serverTid));
      const windowAddr = frames.alloc();
      const commpage = frames.alloc();
      undo.push(() => frames.release(windowAddr), () => frames.release(commpage));
      const unmounts: Array<() => void> = [];
      const fds = Array.isArray(spec.fds) ? this.descriptors(spec.fds, unmounts) : spec.fds;
      undo.push(() => fds.closeAll(), () => unmounts.forEach((u) => u()));
      const pid = this.procs.allocPid();
      const page = new Uint8Array(k.memory.buffer, commpage, PAGE_SIZE);
      writePage(page, pid);
      const window = new Uint8Array(k.memory.buffer, windowAddr, PAGE_SIZE);
      const proc = this.procs.add({
        pid, ppid: spec.ppid, task, name: spec.name, args: spec.args, released: false, reaped: false, fds, threads: new Map([[tid, { tid, windowAddr, window }]]), worker: this.nextWorker++,
        commpage, consoleWord: commpageConsoleWord(page), fastpathTable: commpageFastpathTable(page), fastpathGeneration: -1,
        request: spec.request, childExit: {}, unmounts,
        sig: spec.sig ?? spec.parent?.sig.forChild() ?? new SigState(), signalWord: commpageSignalWord(page), stopped: false, stopWord: commpageStopWord(page),
        pgid: spec.newSession || spec.pgid === 0 ? pid : (spec.pgid ?? spec.parent?.pgid ?? pid),
        sid: spec.newSession || !spec.parent ? pid : spec.parent.sid, execed: false,
      });
      this.c.descriptorsChanged(proc);
      return { proc, boot: { kind: 'task', kernel: this.c.kernel, memory: k.memory, tid, worker: proc.worker, window: windowAddr, windowLen: PAGE_SIZE, commpage } };
    } catch (e) {
      for (const f of undo.reverse()) f();
      throw e;
    }
  }

  /** Lay out a process's commpage for `program` (E2BIG, having written nothing, if its strings do not fit). */
  private writeCommpage(page: Uint8Array, pid: number, ppid: number, program: Program): void {
    const info = { pid, ppid, uid: 0, gid: 0, nofile: NOFILE, ttys: this.c.ttys, flags: this.c.tracing() ? COMMPAGE_TRACE : 0,
      inputRing: this.c.inputRing, outputRing: this.c.outputRing, args: program.args, env: program.env, cwd: program.cwd };
    if (!writeCommpage(page, info)) throw new SpawnError('arguments and environment too large for the commpage (E2BIG)', E2BIG);
  }

  /**
   * Replace `proc`'s program (execve): the same process, task and thread; its commpage names the new
   * arguments, environment and directory (the parent it started with stays), its close-on-exec
   * descriptors close, and its worker runs the new program once the old one has unwound.
   */
  exec(proc: Process, program: Program): void {
    const page = new Uint8Array(this.c.k.memory.buffer, proc.commpage, PAGE_SIZE);
    this.writeCommpage(page, proc.pid, commpagePpid(page), program);
    proc.name = program.name;
    proc.args = program.args;
    proc.execed = true;
    proc.sig.exec();
    proc.fds.closeOnExec();
    this.c.descriptorsChanged(proc);
    this.host.execWorker(proc.worker, program.program);
  }

  /**
   * Descriptors 0-2 on the console, the mounts preopened from 3, then "/" (see
   * namesCurrentDirectory); the mounts go with the process (`unmounts`).
   */
  private descriptors(mounts: MountSpec[], unmounts: Array<() => void>): FdTable {
    const { vfs } = this.c;
    const fds = new FdTable(NOFILE);
    const preopen = (name: string, dir: Vnode) => fds.install({ file: new OpenFile(dir, 0), rights: RIGHTS_DIR, inheriting: RIGHTS_ALL, preopen: name });
    try {
      for (const name of ['stdin', 'stdout', 'stderr']) {
        fds.install({ file: new OpenFile(vfs.root.lookup('dev').lookup(name), 0), rights: RIGHTS_TTY, inheriting: 0 });
      }
      for (const m of mounts) {
        const { root, unmount } = vfs.mount(m);
        unmounts.push(unmount);
        preopen(m.guest, root);
      }
      if (!mounts.some((m) => namesCurrentDirectory(m.guest))) preopen('/', vfs.root);
      return fds;
    } catch (e) {
      fds.closeAll();
      for (const unmount of unmounts.splice(0)) unmount();
      throw new SpawnError(`cannot mount: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * End `proc` with `status` (exit, a signal, a trap): from now on none of its calls is answered, its
   * descriptors close, and its worker is asked to stop; the rest happens when the worker is gone.
   */
  exit(proc: Process, status: ExitStatus): void {
    if (proc.status) return;
    proc.status = status;
    proc.sig.stopTimer();
    this.procs.stopServing(proc);
    this.c.ended(proc);
    proc.fds.closeAll();
    for (const child of this.procs.children(proc)) {
      if (child.status) this.reap(child);
      else child.ppid = 0; // orphaned: reaped when it ends (getppid keeps the pid it started with)
    }
    const parent = proc.ppid === 0 ? undefined : this.procs.byPid(proc.ppid);
    if (parent && !parent.status) {
      this.c.wakeup(parent.childExit);
      this.c.signal(parent, SIGCHLD);
    } else this.reap(proc);
    this.host.stopWorker(proc.worker);
  }

  /** A worker is gone: the process it ran, if not released yet (it failed on its own: it ends by SIGKILL), is released. */
  workerGone(worker: number, fault?: string): void {
    const proc = this.procs.byWorker(worker);
    if (!proc || proc.released) return;
    this.exit(proc, { signal: SIGKILL, reason: fault ?? 'its worker stopped' });
    this.release(proc);
  }

  /**
   * Destroy `proc`'s task and give its frames back, once nothing can run its program; report its
   * end to the host for a process the host started; forget it if it has been reaped.
   */
  private release(proc: Process): void {
    const { k, frames } = this.c;
    this.c.gone(proc);
    k.x.task_destroy(proc.task);
    for (const t of proc.threads.values()) frames.release(t.windowAddr);
    proc.threads.clear();
    frames.release(proc.commpage);
    for (const unmount of proc.unmounts.splice(0)) unmount();
    proc.released = true;
    if (proc.request !== undefined) this.host.exited(proc.request, proc.status!);
    if (proc.reaped) this.procs.remove(proc);
  }

  /** A zombie's parent has its status, or it has no parent to want it: nothing of it remains once it is released. */
  reap(zombie: Process): void {
    zombie.reaped = true;
    if (zombie.released) this.procs.remove(zombie);
  }

  /** Frames of machine memory in use (windows, commpages, pipes' rings, the page cache's), for the leak checks. */
  get framesInUse(): number {
    return this.c.frames.inUse;
  }
}
