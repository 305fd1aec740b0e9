// The XNU-like personality server: one task that owns the processes (bsd/kern_proc.ts makes and ends
// them) and serves the BSD system calls and the exception IPC of every process. It reads each
// request from its UTCB, decodes it with the routine's generated decoder, dispatches it through the
// syscall table (bsd/syscalls.ts), and leaves the reply in its UTCB for the worker's reply-and-wait.
// A call that must wait (a read of empty input, a poll) is parked and answered later with ipc_reply,
// when the host delivers something or its timeout passes. It never touches the host directly:
// workers, console, host directories and wake-ups go through the ServerHost interface.
import { Kernel, tag, tagLabel } from '../kernel-as/bindings/kernel.js';
import { TAG_EXCEPTION } from '../kernel-as/bindings/abi.js';
import type { ServerBoot } from '../abi/boot.js';
import type { SpawnRequest } from '../abi/service.js';
import type { ExitStatus } from '../abi/exit.js';
import { unpackBootImage } from '../abi/bootimage.js';
import { ENOSYS, EIO, EINTR, RESTART_SYSCALL, SIGCHLD, SIGKILL } from '../abi/errno.js';
import { SA_NOCLDSTOP } from '../abi/bsd.js';
import { Ring, CONSOLE_RING_BYTES } from '../abi/ring.js';
import { type Process } from './bsd/proc.js';
import { ProcessManager, SpawnError, type ProcessHost } from './bsd/kern_proc.js';
import { SYSCALLS, Request } from './bsd/syscalls.js';
import { Blocked, WaitChannels, type Channel } from './bsd/wait.js';
import { psignal } from './bsd/kern_sig.js';
import { MessageReader } from './bsd/msg.js';
import { formatCall, formatMalformed } from './bsd/trace.js';
import { signalForTrap } from './bsd/signal.js';
import { Console, consoleStreams } from './vfs/console.js';
import { Tty } from './vfs/tty.js';
import { Vfs, type HostMounter } from './vfs/vfs.js';
import { VfsError } from './vfs/vnode.js';
import type { ProcView } from './vfs/procfs.js';
import { FrameAllocator } from './vm/frames.js';
import { PageCache } from './vm/page_cache.js';
import { TOKEN_TIMEOUT_MS } from './vm/vm_window.js';
import { FASTPATH_SLOTS } from '../abi/commpage.js';
import { fileSlot, fileViews } from './vfs/file.js';
import { Pipes, pipeSlot } from './vfs/pipe.js';
import { Mach } from './mach/mach.js';
import { MACH_CALLS, SELF_INTERRUPTED } from './mach/mach_traps.js';
import { DirectBinding } from './mach/direct.js';
import { Staging } from './mach/staging.js';
import { spaceInfo } from './mach/mach_debug.js';

/** Ports served directly at once, at most (a status word each, in one frame). */
const DIRECT_STATUS_WORDS = 1024;

/** Every routine the server serves: the BSD calls and Mach's. */
const ROUTINES = new Map([...SYSCALLS, ...MACH_CALLS]);

/** What the server needs from its host: workers and output rings (ProcessHost), and the rest. */
export interface ServerHost extends ProcessHost {
  console(fd: number, data: Uint8Array): void;
  /** Make the server's receive loop run runWakeups() soon (a notification to itself). */
  wake(): void;
  /** Where trace lines go (webmach run --trace). */
  trace(line: string): void;
  /** The host's spawn request `request` made process `pid`, or failed. */
  spawned(request: number, pid: number | undefined, error?: string): void;
  /** Host directories, where the platform has them. */
  mountHost?: HostMounter;
}

const NO_RESULTS: readonly number[] = [];
/** The longest delay a timer takes (setTimeout's limit, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const NO_REPLY = { words: NO_RESULTS, out: {} };
/** Calls a signal handler with SA_RESTART does not make again. */
const NEVER_RESTARTED = new Set(['poll', 'sigsuspend']);

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
  /** Its process was interrupted (a signal): it ends with this errno (EINTR or RESTART_SYSCALL) when the loop next looks. */
  interrupted?: number;
}

export class Personality {
  readonly console: Console;
  readonly vfs: Vfs;
  readonly pm: ProcessManager;
  readonly pipes: Pipes;
  readonly mach: Mach;
  /** File data (tmpfs's, and open host files') in frames of machine memory, with the tokens and windows of open files. */
  readonly cache: PageCache;
  tracing = false;
  /** Parked calls by the channels they wait on. */
  private waits = new WaitChannels<Parked>();
  /** Channels woken, and parked calls whose deadline passed or whose process was interrupted, since the loop last looked. */
  private woken = new Set<Channel>();
  private due = new Set<Parked>();
  /** The call being served (console output goes into its process's ring). */
  private current: Request | undefined;
  /** Decodes each request where it lies (the UTCB and the caller's window). */
  private reader: MessageReader;

  constructor(private k: Kernel, private host: ServerHost, boot: ServerBoot) {
    const input = new Ring(k.memory.buffer, boot.inputRing, CONSOLE_RING_BYTES);
    const output = new Ring(k.memory.buffer, boot.outputRing, CONSOLE_RING_BYTES, true);
    const tty = boot.terminal ? this.terminal(input, boot.winsize) : undefined;
    this.console = new Console({
      write: (fd, d) => host.console(fd, d),
      serving: () => this.current !== undefined,
      caller: () => {
        const r = this.current;
        return r && { proc: r.proc, started: () => r.started };
      },
    }, boot.ttys, input, output, tty);
    const frames = new FrameAllocator(k.memory, boot.frames);
    const statusFrame = frames.alloc(); // first: it may grow the memory
    this.cache = new PageCache(k.memory, frames, boot.cachePages); // steals only host files' pages: tmpfs's are wired, bounded by tmpfs
    this.vfs = new Vfs(this.console, boot.fileMemory, this.cache, unpackBootImage(boot.bootImage), () => this.pm.procs.all().filter((p) => !p.reaped).map((p) => this.procView(p)), host.mountHost);
    this.reader = new MessageReader(k, new Uint8Array(0));
    this.tracing = boot.trace;
    this.pipes = new Pipes(this.vfs.allocDev(), k.memory, frames, (channel) => this.wakeup(channel));
    const status = new Int32Array(k.memory.buffer, statusFrame, DIRECT_STATUS_WORDS);
    const direct = new DirectBinding(k, boot.task, status, (pid) => this.procs.byPid(pid)?.task);
    this.mach = new Mach((channel) => this.wakeup(channel), (pid) => this.procs.byPid(pid), direct, new Staging(frames, k.memory));
    this.pm = new ProcessManager({
      k, kernel: boot.kernel, serverTid: boot.tid, frames, vfs: this.vfs, ttys: this.console.ttys,
      inputRing: boot.inputRing, outputRing: boot.outputRing, tracing: () => this.tracing, descriptorsChanged: (proc) => this.descriptorsChanged(proc),
      ended: (proc) => {
        this.dropParked(proc);
        this.mach.ended(proc.pid);
        if (tty?.session === proc.pid) tty.session = tty.pgrp = 0; // its session leader is gone: the terminal controls none
      },
      gone: (proc) => {
        this.pipes.releaseLocks(proc.pid);
        this.cache.windows.releaseLocks(proc.pid);
        this.console.outputRing.unlock(proc.pid);
      },
      wakeup: (channel) => this.wakeup(channel),
      signal: (proc, n) => psignal(this, proc, n),
    }, host);
    this.cache.windows.onStuck = (pid) => {
      const proc = this.procs.byPid(pid);
      if (proc && !proc.reaped) psignal(this, proc, SIGKILL, `held a file's token over ${TOKEN_TIMEOUT_MS} ms`);
    };
  }

  get procs() {
    return this.pm.procs;
  }

  /**
   * Frames of machine memory held, for the leak checks. File data outlives the programs that wrote
   * it, so the page cache's frames are left out while every page in it belongs to a file named in a
   * mounted tmpfs; any other page (a removed file still open, or a leak) shows them all.
   */
  get framesInUse(): number {
    const accounted = this.cache.pages === this.vfs.filePages;
    return this.pm.framesInUse - (accounted ? this.cache.frameTotal : 0);
  }

  /** What /proc shows of a process: its entry in the table and its Mach names (read when a file is). */
  private procView(p: Process): ProcView {
    return { pid: p.pid, ppid: p.ppid, pgid: p.pgid, name: p.name, args: p.args, status: p.status, stopped: p.stopped, ports: () => spaceInfo(this.mach.ipc, p.pid), files: () => fileViews(p.fds) };
  }

  /** The terminal: its line discipline reads the console's input ring and signals, echoes and wakes through the server. */
  private terminal(input: Ring, winsize?: { rows: number; cols: number }): Tty {
    const tty = new Tty({
      take: (into) => input.take(into),
      ended: () => this.console.ended,
      echo: (bytes) => this.console.echo(bytes),
      signalGroup: (pgid, n) => {
        for (const p of this.procs.running()) if (p.pgid === pgid) psignal(this, p, n, 'from the terminal');
      },
      orphaned: (pgid) => this.orphaned(pgid),
      wakeup: (channel) => this.wakeup(channel),
    });
    if (winsize) tty.resize(winsize.rows, winsize.cols);
    return tty;
  }

  /** The host asks for a process (the first of `webmach run`): make it, and say whether it could. */
  spawnForHost(m: SpawnRequest): void {
    try {
      const proc = this.pm.spawn({ program: m.program, name: m.name, args: m.args, env: m.env, cwd: m.cwd, fds: m.mounts, ppid: 0, request: m.request });
      const tty = this.console.tty;
      if (tty && tty.session === 0) [tty.session, tty.pgrp] = [proc.sid, proc.pgid]; // the console is its session's controlling terminal
      this.host.spawned(m.request, proc.pid);
    } catch (e) {
      if (!(e instanceof SpawnError)) throw e;
      this.host.spawned(m.request, undefined, e.message);
    }
  }

  /** The host's terminal changed size. */
  resize(rows: number, cols: number): void {
    this.console.tty?.resize(rows, cols);
  }

  /** POSIX's orphaned process group: no member has a parent in another group of the same session. */
  orphaned(pgid: number): boolean {
    return !this.procs.running().some((p) => {
      const parent = p.pgid === pgid ? this.procs.byPid(p.ppid) : undefined;
      return parent !== undefined && !parent.status && parent.pgid !== pgid && parent.sid === p.sid;
    });
  }

  /** A child stopped or continued (kern_sig.ts): its parent's wait4 hears of it, and SIGCHLD unless it asked for SA_NOCLDSTOP. */
  jobChanged(proc: Process, report: { stopped: number } | 'continued'): void {
    proc.report = report;
    const parent = proc.ppid === 0 ? undefined : this.procs.byPid(proc.ppid);
    if (!parent || parent.status) return;
    this.wakeup(parent.childExit);
    if (!(parent.sig.flags[SIGCHLD] & SA_NOCLDSTOP)) psignal(this, parent, SIGCHLD, 'a child stopped or continued');
  }

  /** Serve the message in the UTCB; returns the thread to reply to, or 0 for no reply (yet). */
  handle(): number {
    const k = this.k;
    const tag = k.mr(0);
    const proc = this.procs.byTask(k.badge);
    const thread = proc?.threads.get(k.sender);
    if (!proc || !thread) return 0; // not a process we serve: drop (its caller stays blocked until its task dies)
    if ((tag & TAG_EXCEPTION) !== 0) {
      this.exception(proc);
      this.reply(0, NO_RESULTS);
      return k.sender;
    }
    const routine = ROUTINES.get(tagLabel(tag));
    if (!routine) {
      if (this.tracing) this.host.trace(`[pid ${proc.pid}] syscall ${tagLabel(tag)} = -1 ENOSYS`);
      this.reply(ENOSYS, NO_RESULTS);
      return k.sender;
    }
    let args: object;
    try {
      args = routine.decode(this.reader.start(thread.window));
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
      this.current = request;
      reply = request.routine.serve(request, request.args);
    } catch (e) {
      if (e instanceof Blocked) return this.park(p, e);
      errno = e instanceof VfsError ? e.errno : this.internalError(p, e);
    } finally {
      this.current = undefined;
    }
    this.disarm(p);
    if (!request.proc.released) this.descriptorsChanged(request.proc); // a released process's commpage is no longer its
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
    this.waits.sleep(p, b.channels);
    if (b.wakeAt !== undefined && p.timer === undefined) {
      const wakeAt = b.wakeAt;
      p.timer = setTimeout(() => {
        p.timer = undefined;
        this.due.add(p);
        this.host.wake();
      }, Math.min(Math.max(0, wakeAt - performance.now()) + 1, MAX_TIMER_MS)); // a far deadline: the retry parks again
    }
    return false;
  }

  private disarm(p: Parked): void {
    clearTimeout(p.timer);
    p.timer = undefined;
    this.due.delete(p);
  }

  /** Channels were woken (or deadlines passed) since the loop last ran the wake-ups. */
  get wakeupsPending(): boolean {
    return this.woken.size > 0 || this.due.size > 0;
  }

  /** Wake the calls parked on `channel` (they are tried again when the loop next looks: runWakeups). */
  wakeup(channel: Channel): void {
    if (!this.waits.has(channel)) return; // nobody sleeps there: nothing to try again (a message for a receive about to be made)
    if (this.woken.size === 0 && this.due.size === 0) this.host.wake();
    this.woken.add(channel);
  }

  /**
   * The parked calls of `proc` end, when the loop next looks, with EINTR (a signal is due for its
   * handler), or with RESTART_SYSCALL when the handlers asked for SA_RESTART and the call may be made again
   * (POSIX never restarts poll or sigsuspend).
   */
  interrupt(proc: Process, restart = false): void {
    for (const p of this.waits.take((q) => q.request.proc === proc)) {
      p.interrupted = restart && !NEVER_RESTARTED.has(p.request.routine.name) ? RESTART_SYSCALL : EINTR;
      p.request.interrupted = true;
      this.due.add(p);
    }
    this.host.wake();
  }

  /** Signals' default actions end processes (kern_sig.ts). */
  terminate(proc: Process, status: ExitStatus): void {
    this.end(proc, status);
  }

  /** `proc` ended: its parked calls are forgotten (their thread is gone). */
  private dropParked(proc: Process): void {
    for (const p of this.waits.take((q) => q.request.proc === proc)) this.disarm(p);
    for (const p of this.due) if (p.request.proc === proc) this.disarm(p);
  }

  /** The host's console had an event (input came, a ring drained): the terminal takes its input; wake whatever waits on the console. */
  consoleEvent(): void {
    this.console.tty?.input();
    for (const c of this.console.channels()) this.wakeup(c);
  }

  /** The host's output fd changed state: wake its writers. */
  consoleOutput(fd: number, state: 'full' | 'drained' | 'broken'): void {
    this.console.output(fd, state);
    this.wakeup(this.console.outputChannel(fd));
  }

  /**
   * Try again the calls whose channel was woken or whose deadline passed, and end the interrupted
   * ones with EINTR; answer those that completed. Call only between receives (it uses the UTCB).
   */
  runWakeups(): void {
    const retry = new Set<Parked>(this.due);
    this.due.clear();
    for (const c of this.woken) for (const p of this.waits.wake(c)) retry.add(p);
    this.woken.clear();
    for (const p of retry) {
      this.waits.remove(p);
      if (this.procs.byTask(p.request.proc.task) !== p.request.proc) this.disarm(p); // its process ended
      else if (p.interrupted !== undefined && !SELF_INTERRUPTED.has(p.request.routine.name) ? this.fail(p, p.interrupted) : this.serve(p)) this.k.x.ipc_reply(p.sender);
    }
  }

  /** End a parked call with `errno` (leaving the reply in the UTCB). */
  private fail(p: Parked, errno: number): true {
    this.disarm(p);
    if (this.tracing) this.host.trace(formatCall(p.request.proc.pid, p.request.routine, p.request.args, errno, {}));
    this.reply(errno, NO_RESULTS);
    return true;
  }

  /** A trace line from a task library, for a call it served itself. */
  traceLine(line: string): void {
    if (this.tracing) this.host.trace(line);
  }

  /**
   * Tell the task library which descriptors it may serve itself: the console word (descriptors 0-2
   * on the console's rings) and, when its descriptor table changed, the fast-path table: pipes'
   * rings (none while tracing, so every read and write shows) and files' windows (which report
   * the calls they serve to the trace themselves). Called before every reply, so a call that
   * closed, replaced or reflagged a descriptor takes effect before the program's next call.
   */
  private descriptorsChanged(proc: Process): void {
    Atomics.store(proc.consoleWord, 0, this.tracing ? 0 : consoleStreams(proc.fds, this.console));
    if (proc.fastpathGeneration === proc.fds.generation) return;
    proc.fastpathGeneration = proc.fds.generation;
    for (let fd = 0; fd < FASTPATH_SLOTS; fd++) {
      const d = proc.fds.lookup(fd);
      Atomics.store(proc.fastpathTable, fd, (this.tracing ? 0 : pipeSlot(d)) || fileSlot(d));
    }
  }

  /** The terminal's modes changed (TOSTOP decides whether its writers may use the rings): every process's console word is rewritten. */
  terminalModesChanged(): void {
    for (const p of this.procs.running()) this.descriptorsChanged(p);
  }

  /** Exception IPC from a trapping task: the process ends by the matching signal. */
  private exception(proc: Process): void {
    const { signal, reason } = signalForTrap(this.k.mr(1));
    this.end(proc, { signal, reason });
  }

  /** `proc` ends (exit, a signal, a trap). */
  end(proc: Process, status: ExitStatus): void {
    this.pm.exit(proc, status);
  }

  /** Every process still running ends by SIGKILL (the machine is going down: init's last act). */
  endAll(): void {
    for (const p of this.pm.procs.running()) this.end(p, { signal: SIGKILL, reason: 'the machine is shutting down' });
  }
}
