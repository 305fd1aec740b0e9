// The XNU-like personality server: one task that serves the BSD system calls and the exception IPC of
// every process. It reads each request from its UTCB, dispatches it through the one syscall table
// (bsd/syscalls.ts), and leaves the reply in its UTCB for the worker's reply-and-wait. A call that
// must wait (a read of empty input, a poll) is parked and answered later with ipc_reply, when the
// host delivers something or its timeout passes. It never touches the host directly: console,
// exits, host directories and wake-ups go through the ServerHost interface.
import { Kernel, tag, tagLabel } from '../kernel-as/bindings/kernel.js';
import { TAG_EXCEPTION } from '../kernel-as/bindings/abi.js';
import { ENOSYS, EIO } from './interfaces/errno.js';
import type { ExitStatus } from './interfaces/exit.js';
import { writeCommpage, commpageConsoleWord, COMMPAGE_TRACE } from './interfaces/commpage.js';
import { Ring, CONSOLE_RING_BYTES } from './interfaces/ring.js';
import { PAGE_SIZE } from '../kernel-as/bindings/abi.js';
import { RIGHTS_ALL, RIGHTS_DIR, RIGHTS_TTY } from './interfaces/wasi.js';
import { ProcessTable, type Process } from './bsd/proc.js';
import { SYSCALLS, Request, Blocked } from './bsd/syscalls.js';
import { MessageReader } from './bsd/msg.js';
import { formatCall, formatMalformed } from './bsd/trace.js';
import { signalForTrap } from './bsd/signal.js';
import { FdTable, OpenFile } from './vfs/file.js';
import { Console, consoleStreams } from './vfs/console.js';
import { Vfs, type HostMounter } from './vfs/vfs.js';
import type { ProcessSpec } from './interfaces/process.js';
import { VfsError, type Vnode } from './vfs/vnode.js';

/** What the server needs from its host. */
export interface ServerHost {
  console(fd: number, data: Uint8Array): void;
  exited(task: number, status: ExitStatus): void;
  /** Make the server's receive loop run retryParked() soon (a notification to itself). */
  wake(): void;
  /** Where trace lines go (webmach run --trace). */
  trace(line: string): void;
  /** Host directories, where the platform has them. */
  mountHost?: HostMounter;
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

const NO_RESULTS: readonly number[] = [];
const NO_REPLY = { words: NO_RESULTS, out: {} };

/** The descriptor limit (RLIMIT_NOFILE) of every process. */
const NOFILE = 1024;

/** A call being served: the request and the thread to answer. */
interface Parked {
  request: Request;
  sender: number;
  /**
   * The wake-up pending for its deadline. Invariant: a parked call with a deadline always has one.
   * A timer may fire before the deadline by the server's clock (Node schedules it from the event
   * loop's cached time, stale after a long run of calls served without yielding), so a call that
   * parks again after its timer fired gets a new one; a call that completes cancels its own.
   */
  timer?: ReturnType<typeof setTimeout>;
}

export class Personality {
  readonly procs = new ProcessTable();
  readonly console: Console;
  readonly vfs: Vfs;
  tracing = false;
  private parked: Parked[] = [];
  /** The process whose call is being served (console output goes into its ring). */
  private caller: Process | undefined;
  /** Decodes each request where it lies (the UTCB and the caller's window). */
  private reader: MessageReader;

  /** `inputRing`: the machine's console input (interfaces/ring.ts); `fileMemory`: the bytes each in-memory file system may hold. */
  constructor(private k: Kernel, private host: ServerHost, ttys: number, private inputRing: number, fileMemory = Number.POSITIVE_INFINITY) {
    const input = new Ring(k.memory.buffer, inputRing, CONSOLE_RING_BYTES);
    this.console = new Console({ write: (fd, d) => host.console(fd, d), callerOutput: () => this.caller?.output }, ttys, input);
    this.vfs = new Vfs(this.console, fileMemory, host.mountHost);
    this.reader = new MessageReader(k, new Uint8Array(0));
  }

  /** Register a process: descriptors 0-2 on the console, its mounts preopened from 3, then "/" (see namesCurrentDirectory); its commpage. */
  addProcess(spec: ProcessSpec): string | undefined {
    const window = new Uint8Array(this.k.memory.buffer, spec.window, PAGE_SIZE);
    const fds = new FdTable(NOFILE);
    try {
      this.openConsole(fds);
      for (const m of spec.mounts) this.preopen(fds, m.guest, this.vfs.mount(m));
      if (!spec.mounts.some((m) => namesCurrentDirectory(m.guest))) this.preopen(fds, '/', this.vfs.root);
    } catch (e) {
      fds.closeAll();
      return `cannot mount: ${e instanceof Error ? e.message : String(e)}`;
    }
    const page = new Uint8Array(this.k.memory.buffer, spec.commpage, PAGE_SIZE);
    const flags = this.tracing ? COMMPAGE_TRACE : 0;
    const info = { pid: spec.pid, ppid: 0, uid: 0, gid: 0, nofile: NOFILE, ttys: this.console.ttys, flags, inputRing: this.inputRing,
      outputRing: spec.outputRing, args: spec.args, env: spec.env };
    if (!writeCommpage(page, info)) {
      fds.closeAll();
      return 'arguments and environment too large for the commpage (E2BIG)';
    }
    const output = new Ring(this.k.memory.buffer, spec.outputRing, CONSOLE_RING_BYTES);
    this.consoleChanged(this.procs.add({ pid: spec.pid, task: spec.task, name: spec.name, fds, window, consoleWord: commpageConsoleWord(page), output }));
    return undefined;
  }

  private openConsole(fds: FdTable): void {
    for (const name of ['stdin', 'stdout', 'stderr']) {
      const node = this.vfs.root.lookup('dev').lookup(name);
      fds.install({ file: new OpenFile(node, 0), rights: RIGHTS_TTY, inheriting: 0 });
    }
  }

  private preopen(fds: FdTable, name: string, dir: Vnode): void {
    fds.install({ file: new OpenFile(dir, 0), rights: RIGHTS_DIR, inheriting: RIGHTS_ALL, preopen: name });
  }

  /** Serve the message in the UTCB; returns the thread to reply to, or 0 for no reply (yet). */
  handle(): number {
    const k = this.k;
    const tag = k.mr(0);
    const proc = this.procs.byTask(k.badge);
    if (!proc) return 0; // not a process we know: drop (its caller stays blocked until its task dies)
    if ((tag & TAG_EXCEPTION) !== 0) {
      this.exception(proc);
      this.reply(0, NO_RESULTS);
      return k.sender;
    }
    const routine = SYSCALLS.get(tagLabel(tag));
    if (!routine) {
      if (this.tracing) this.host.trace(`[pid ${proc.pid}] syscall ${tagLabel(tag)} = -1 ENOSYS`);
      this.reply(ENOSYS, NO_RESULTS);
      return k.sender;
    }
    let args: object;
    try {
      args = routine.decode(this.reader.start(proc.window));
    } catch (e) {
      if (!(e instanceof VfsError)) throw e;
      if (this.tracing) this.host.trace(formatMalformed(proc.pid, routine, e.errno));
      this.reply(e.errno, NO_RESULTS);
      return k.sender;
    }
    return this.serve({ request: new Request(proc, routine, args, this), sender: k.sender }) ? k.sender : 0;
  }

  /** Run a call and leave its reply (errno, then results) in the UTCB; false when it parked. */
  private serve(p: Parked): boolean {
    const request = p.request;
    let errno = 0;
    let reply: { words: readonly number[]; out: object } = NO_REPLY;
    try {
      this.caller = request.proc;
      reply = request.routine.serve(request, request.args);
    } catch (e) {
      if (e instanceof Blocked) return this.park(p, e);
      errno = e instanceof VfsError ? e.errno : this.internalError(p, e);
    } finally {
      this.caller = undefined;
    }
    this.disarm(p);
    this.consoleChanged(request.proc);
    if (this.tracing && request.routine.name !== 'trace') this.host.trace(formatCall(request.proc.pid, request.routine, request.args, errno, reply.out));
    this.reply(errno, errno === 0 ? reply.words : NO_RESULTS);
    return true;
  }

  /**
   * Leave a reply in the UTCB (the wire format of abi/mig.mjs): with no results, the errno is the label of a
   * short message (the kernel delivers it in one compare-and-swap); else MR1 is the errno and the
   * results follow.
   */
  private reply(errno: number, results: readonly number[]): void {
    const k = this.k;
    if (results.length === 0) {
      k.setMr(0, tag(errno, 0));
      return;
    }
    k.setMr(0, tag(0, results.length + 1));
    k.setMr(1, errno);
    for (let i = 0; i < results.length; i++) k.setMr(i + 2, results[i]);
  }

  /** A handler failed in a way no errno describes (a bug): say so on stderr, answer EIO, keep serving. */
  private internalError(p: Parked, e: unknown): number {
    const what = e instanceof Error ? e.stack ?? e.message : String(e);
    this.host.console(2, new TextEncoder().encode(`webmach: personality server: internal error in ${p.request.routine.name} (pid ${p.request.proc.pid}): ${what}\n`));
    return EIO;
  }

  private park(p: Parked, b: Blocked): false {
    this.parked.push(p);
    if (b.wakeAt !== undefined && p.timer === undefined) {
      const wakeAt = b.wakeAt;
      p.timer = setTimeout(() => {
        p.timer = undefined;
        this.host.wake();
      }, Math.max(0, wakeAt - performance.now()) + 1);
    }
    return false;
  }

  private disarm(p: Parked): void {
    clearTimeout(p.timer);
    p.timer = undefined;
  }

  /** Try every parked call again; answer those that completed. Call only between receives. */
  retryParked(): void {
    const waiting = this.parked;
    this.parked = [];
    for (const p of waiting) {
      if (this.procs.byTask(p.request.proc.task) !== p.request.proc) this.disarm(p); // its process ended
      else if (this.serve(p)) this.k.x.ipc_reply(p.sender);
    }
  }

  /** A trace line from a task library, for a call it served itself. */
  traceLine(line: string): void {
    if (this.tracing) this.host.trace(line);
  }

  /**
   * Tell the task library which of descriptors 0-2 it may serve through the console's rings (none
   * while tracing, so every read and write shows); called before every reply, so a call that closed,
   * renumbered or replaced one of them takes effect before the program's next call.
   */
  private consoleChanged(proc: Process): void {
    Atomics.store(proc.consoleWord, 0, this.tracing ? 0 : consoleStreams(proc.fds));
  }

  /** Exception IPC from a trapping task: the process ends by the matching signal. */
  private exception(proc: Process): void {
    const { signal, reason } = signalForTrap(this.k.mr(1));
    this.end(proc, { signal, reason });
  }

  /** Record that `proc` ended and tell the host. */
  end(proc: Process, status: ExitStatus): void {
    this.procs.remove(proc.task);
    this.host.exited(proc.task, status);
  }
}
