// Processes as the BSD personality sees them (XNU's `proc`): pid and parent, the kernel task it runs
// on and its threads (each with its own message window, found by the sender the kernel reports), the
// descriptor table, and what the server shares with it in machine memory: the commpage (identity,
// args, environment; written once but for the console word, the pipe table and the signal word), its
// signals and process group. A process
// that ended keeps its pid and status as a zombie until its parent reaps it (or, started by the
// host, until the host is told).
import { FdTable } from '../vfs/file.js';
import type { ExitStatus } from '../../abi/exit.js';
import type { SigState } from './kern_sig.js';

/** A kernel thread of a process, and its message window (a frame of machine memory). */
export interface Thread {
  tid: number;
  windowAddr: number;
  window: Uint8Array;
}

export interface Process {
  pid: number;
  /** The parent's pid; 0 for a process the host started (nobody waits for it but the host). */
  ppid: number;
  /** The kernel task it runs on (its index: the badge of its calls). */
  task: number;
  name: string;
  /** The arguments its program started with (procfs's cmdline). */
  args: readonly string[];
  fds: FdTable;
  /** Its threads by kernel thread id. */
  threads: Map<number, Thread>;
  /** The worker running it (the server's number for it). */
  worker: number;
  commpage: number;
  /** Its commpage's console word (COMMPAGE.console), which the server rewrites as descriptors 0-2 change. */
  consoleWord: Int32Array;
  /** Its commpage's fast-path table (COMMPAGE.fastpath: pipes' rings, files' windows), rewritten when its descriptor table's generation moves on. */
  fastpathTable: Int32Array;
  fastpathGeneration: number;
  /** The host's request number, for a process the host started. */
  request?: number;
  /** How it ended: set when it ends (from then on a zombie its parent may reap). */
  status?: ExitStatus;
  /** Its worker is gone and its resources given back: only its pid and status remain, for its parent. */
  released: boolean;
  /** Its parent has had its status (or it has none): it is forgotten once released. */
  reaped: boolean;
  /** The wait channel its parent's wait4 sleeps on, woken when a child of it becomes a zombie. */
  readonly childExit: object;
  /** Undo the mounts made for it (a process the host starts): when it ends. */
  unmounts: Array<() => void>;
  /** Its signals (kern_sig.ts), and its commpage's signal word (COMMPAGE.signals). */
  sig: SigState;
  signalWord: Int32Array;
  /** Stopped by a stop signal until SIGCONT; its commpage's stopped word says so to the task library (COMMPAGE.stopped). */
  stopped: boolean;
  stopWord: Int32Array;
  /** What its parent's wait4 (WUNTRACED, WCONTINUED) has yet to hear: it stopped (by that signal), or it continued. */
  report?: { stopped: number } | 'continued';
  /** Its process group and session. */
  pgid: number;
  sid: number;
  /** It has run a program of its own (spawn, exec), not only its parent's (fork): its parent can no longer setpgid it (XNU's P_EXEC). */
  execed: boolean;
}

/** Every process by pid, and the running ones by task (the badge a call arrives with). */
export class ProcessTable {
  private pids = new Map<number, Process>();
  private tasks = new Map<number, Process>();
  private nextPid = 1;

  /** A pid no process (or zombie) has. */
  allocPid(): number {
    while (this.pids.has(this.nextPid)) this.nextPid++;
    return this.nextPid++;
  }

  add(proc: Process): Process {
    this.pids.set(proc.pid, proc);
    this.tasks.set(proc.task, proc);
    return proc;
  }

  /** The running process on `task`; a process that is ending answers no more calls. */
  byTask(task: number): Process | undefined {
    return this.tasks.get(task);
  }

  byPid(pid: number): Process | undefined {
    return this.pids.get(pid);
  }

  /** The children of `parent` (running, exiting and zombies) it has not reaped. */
  children(parent: Process): Process[] {
    return [...this.pids.values()].filter((p) => p.ppid === parent.pid && p !== parent && !p.reaped);
  }

  /** The process a worker runs (undefined once it is released and reaped). */
  byWorker(worker: number): Process | undefined {
    for (const p of this.pids.values()) if (p.worker === worker) return p;
    return undefined;
  }

  /** It is ending: no more calls from it are served. */
  stopServing(proc: Process): void {
    if (this.tasks.get(proc.task) === proc) this.tasks.delete(proc.task);
  }

  /** Forget it entirely (reaped). */
  remove(proc: Process): void {
    this.stopServing(proc);
    this.pids.delete(proc.pid);
  }

  /** Every process, zombies too. */
  all(): Process[] {
    return [...this.pids.values()];
  }

  /** The processes that are running (not ending, not zombies). */
  running(): Process[] {
    return [...this.tasks.values()];
  }

  /** Processes and zombies. */
  get size(): number {
    return this.pids.size;
  }
}
