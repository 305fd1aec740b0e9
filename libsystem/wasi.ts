// wasi_snapshot_preview1 for a program, and webmach's extension module, on top of the system-call
// stubs: the emulation library of dean-armand-1992 3.1. Served here without IPC: arguments and
// environment and identity (from the commpage), clocks, random, sched_yield. Everything else is one
// call to the personality server (wasi_fd.ts, wasi_path.ts, wasi_poll.ts). Every function maps a
// bad pointer to EFAULT.
import { Fault, UserMemory } from './uaccess.js';
import type { Syscalls } from './syscall.js';
import type { Commpage } from './commpage.js';
import { fdFunctions, type WasiContext, type WasiFunction } from './wasi_fd.js';
import { pathFunctions } from './wasi_path.js';
import { pollOneoff } from './wasi_poll.js';
import { ConsoleRings } from './console.js';
import { PipeRings } from './pipes.js';
import { FileWindows } from './file_windows.js';
import { clockNowNs, CLOCK_RESOLUTION_NS } from './clock.js';
import * as bsd from './bsd_user.js';
import { programFunctions } from './bsd_program.js';
import { programFunctions as machFunctions } from './mach_program.js';
import { DirectBinding } from './mig_direct.js';
import { MachStaging } from './mach_staging.js';
import { COMMPAGE, COMMPAGE_TRACE } from '../abi/commpage.js';
import { ESUCCESS, EINVAL, ENOSYS, ERANGE, wasiSignal } from '../abi/errno.js';
import { Signals } from './signals.js';
import { Fork, type PostImage } from './fork.js';
import { PREVIEW1_SIGNATURES, WEBMACH_SIGNATURES } from '../abi/imports.js';

const encoder = new TextEncoder();

/** Thrown by proc_exit (and a fatal proc_raise) to unwind the program's stack; carries the status. */
export class ProcExit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/** Thrown by a successful execve to unwind the program: the worker then runs the new one (process.ts). */
export class ProcExec extends Error {}

/** Every function of wasi_snapshot_preview1. */
export const PREVIEW1_FUNCTIONS = Object.keys(PREVIEW1_SIGNATURES) as Array<keyof typeof PREVIEW1_SIGNATURES>;

/** webmach's extension module: what WASI lacks (Mach ports are to come). */
export const WEBMACH_FUNCTIONS = Object.keys(WEBMACH_SIGNATURES) as Array<keyof typeof WEBMACH_SIGNATURES>;

export class Wasi implements WasiContext {
  readonly mem = new UserMemory();
  readonly signals: Signals;
  readonly fork: Fork;

  /** `post`: how a fork hands the host the child's image. */
  constructor(readonly sys: Syscalls, private page: Commpage, post: PostImage) {
    this.signals = new Signals(sys, page);
    this.fork = new Fork(sys, this.mem, this.signals, post);
  }

  /** The import object: { wasi_snapshot_preview1, webmach }. */
  imports(): Record<string, Record<string, WasiFunction>> {
    const tracing = (this.page.flags & COMMPAGE_TRACE) !== 0;
    const local = tracing ? this.traced(this.local()) : this.local();
    const preview1: Record<string, WasiFunction> = {
      ...local,
      ...fdFunctions(this, {
        console: new ConsoleRings(this.page, this.mem, this.signals),
        pipes: new PipeRings(this.page, this.mem, this.sys, this.signals),
        files: new FileWindows(this.page, this.mem, this.sys),
      }),
      ...pathFunctions(this),
      poll_oneoff: (inPtr: number, outPtr: number, nsubs: number, nevents: number) => pollOneoff(this, inPtr, outPtr, nsubs, nevents),
      ...this.process(),
    };
    const table: Record<string, WasiFunction> = {};
    for (const name of PREVIEW1_FUNCTIONS) table[name] = preview1[name] ? this.guard(preview1[name]) : () => ENOSYS;
    const webmach: Record<string, WasiFunction> = {};
    for (const [name, f] of Object.entries(tracing ? this.traced(this.extension()) : this.extension())) webmach[name] = this.guard(f);
    // fork runs no handlers on its way out (the program may be unwinding): only faults are mapped
    webmach.fork = (unwind: number, len: number, childOut: number) => this.faults(() => this.fork.call(unwind, len, childOut));
    return { wasi_snapshot_preview1: table, webmach };
  }

  /**
   * With `webmach run --trace`: the calls served here, wrapped to report themselves to the trace
   * (through the server, so the lines stay in order with its own); the others the server traces.
   */
  private traced(functions: Record<string, WasiFunction>): Record<string, WasiFunction> {
    const pid = this.page.words[COMMPAGE.pid >> 2];
    const wrapped: Record<string, WasiFunction> = {};
    for (const [name, f] of Object.entries(functions)) {
      if (name === 'sys_null') {
        wrapped[name] = f;
        continue;
      }
      wrapped[name] = (...args: never[]) => {
        const result = f(...args);
        const { written } = encoder.encodeInto(`[pid ${pid}] ${name}(${args.join(', ')}) = ${result} (served in the task)`, this.sys.window);
        bsd.trace(this.sys, written);
        return result;
      };
    }
    return wrapped;
  }

  /** The webmach module: identity read from the commpage on every call (a typed-array load), no IPC. */
  private extension(): Record<string, WasiFunction> {
    const words = this.page.words;
    const pid = COMMPAGE.pid >> 2;
    const ppid = COMMPAGE.ppid >> 2;
    const program = programFunctions(this.sys, this.mem);
    return {
      getpid: () => words[pid],
      getppid: () => words[ppid],
      cwd_get: (buf: number, len: number) => this.cwdGet(buf, len),
      sigdispatch: (index: number) => this.signals.setDispatcher(index),
      sys_null: () => bsd.null_(this.sys),
      ...program,
      ...this.mach(),
      ...this.directBinding(),
      execve: this.execve(program.execve),
      kill: this.kill(program.kill as (pid: number, signal: number, out: number) => number),
    };
  }

  /** Mach's routines (mach_msg with its staging: mach_staging.ts); each first notes the program's memory size in the commpage (task_info reports it). */
  private mach(): Record<string, WasiFunction> {
    const pages = this.page.words.subarray(COMMPAGE.memoryPages >> 2, (COMMPAGE.memoryPages >> 2) + 1);
    const staging = new MachStaging(this.sys, this.mem);
    const routines = {
      ...machFunctions(this.sys, this.mem),
      mach_msg: (option: number, msg: number, len: number, rcvSize: number, rcvName: number, timeout: number, krOut: number, reply: number, room: number, lenOut: number) =>
        staging.msg(option, msg, len, rcvSize, rcvName, timeout, krOut, reply, room, lenOut),
      mach_msg_staged: (into: number, len: number) => staging.take(into, len),
    };
    const out: Record<string, WasiFunction> = {};
    for (const [name, f] of Object.entries(routines)) {
      const call = f as WasiFunction;
      out[name] = (...args: never[]) => {
        Atomics.store(pages, 0, this.mem.pages);
        return call(...args);
      };
    }
    return out;
  }

  /** The direct binding's two calls (mig_direct.ts): a client's call to a serving thread, and the serving thread's reply-and-wait. */
  private directBinding(): Record<string, WasiFunction> {
    const d = new DirectBinding(this.sys, this.mem);
    return {
      mig_direct_call: (slot: number, status: number, req: number, reqLen: number, reply: number, room: number, lenOut: number) => d.call(slot, status, req, reqLen, reply, room, lenOut),
      mig_serve_wait: (id: number, status: number, req: number, room: number, lenOut: number, reply: number, replyLen: number) => d.wait(id, status, req, room, lenOut, reply, replyLen),
    };
  }

  /** A kill that ended the caller itself stops the program there. */
  private raised(errno: number, terminated: number, signal: number): number {
    if (errno === ESUCCESS && terminated === 1) throw new ProcExit(128 + signal);
    return errno;
  }

  private kill(call: (pid: number, signal: number, out: number) => number): WasiFunction {
    return (pid: number, signal: number, out: number) => {
      const errno = call(pid, signal, out);
      return this.raised(errno, errno === ESUCCESS ? this.mem.u32(out) : 0, signal);
    };
  }

  /** execve returns only its failures; on success the program unwinds (ProcExec) and the new one starts. */
  private execve(call: WasiFunction): WasiFunction {
    return (...args: never[]) => {
      const r = call(...args);
      if (r === ESUCCESS) throw new ProcExec();
      return r;
    };
  }

  /** `f` run by signals.around, a Fault its EFAULT (as faults() does, without a closure a call: this is every call's path). */
  private guard(f: WasiFunction): WasiFunction {
    const signals = this.signals;
    return (...args: never[]) => {
      try {
        return signals.around(f, args);
      } catch (e) {
        if (e instanceof Fault) return e.errno;
        throw e;
      }
    };
  }

  /** `call`'s result, or EFAULT (the Fault's errno) when it touched a bad pointer. */
  private faults(call: () => number): number {
    try {
      return call();
    } catch (e) {
      if (e instanceof Fault) return e.errno;
      throw e;
    }
  }

  /** The calls served in the task: commpage strings, clocks, random, yield. */
  private local(): Record<string, WasiFunction> {
    const p = this.page;
    return {
      args_sizes_get: (count: number, size: number) => this.sizes(p.argc, p.argv.length, count, size),
      args_get: (ptrs: number, buf: number) => this.strings(p.argv, ptrs, buf),
      environ_sizes_get: (count: number, size: number) => this.sizes(p.envc, p.envp.length, count, size),
      environ_get: (ptrs: number, buf: number) => this.strings(p.envp, ptrs, buf),
      clock_res_get: (id: number, out: number) => {
        if (clockNowNs(id) < 0) return EINVAL;
        this.mem.setU64(out, CLOCK_RESOLUTION_NS);
        return ESUCCESS;
      },
      clock_time_get: (id: number, _precision: bigint, out: number) => {
        const t = clockNowNs(id);
        if (t < 0) return EINVAL;
        this.mem.setU64n(out, t);
        return ESUCCESS;
      },
      random_get: (buf: number, len: number) => {
        const view = this.mem.bytes(buf, len);
        for (let at = 0; at < len; at += 65536) crypto.getRandomValues(view.subarray(at, Math.min(len, at + 65536)));
        return ESUCCESS;
      },
      sched_yield: () => ESUCCESS,
    };
  }

  /** proc_exit, proc_raise, and the socket calls (every descriptor is a non-socket, the server says which error). */
  private process(): Record<string, WasiFunction> {
    const sys = this.sys;
    return {
      proc_exit: (status: number) => {
        bsd.exit(sys, status);
        throw new ProcExit(status);
      },
      proc_raise: (signal: number) => {
        const { errno, terminated } = bsd.kill(sys, this.page.pid, wasiSignal(signal));
        return this.raised(errno, terminated, wasiSignal(signal));
      },
      sock_accept: (fd: number, flags: number) => bsd.accept(sys, fd, flags),
      sock_recv: (fd: number, _iovs: number, _count: number, flags: number) => bsd.recvfrom(sys, fd, flags),
      sock_send: (fd: number, _iovs: number, _count: number, flags: number) => bsd.sendto(sys, fd, flags),
      sock_shutdown: (fd: number, how: number) => bsd.shutdown(sys, fd, how),
    };
  }

  /** The working directory the process started in, NUL-terminated, into `len` bytes at `buf` (ERANGE if they are too few). */
  private cwdGet(buf: number, len: number): number {
    const cwd = this.page.cwd;
    if (cwd.length > len) return ERANGE;
    this.mem.copyOut(buf, cwd);
    return ESUCCESS;
  }

  private sizes(count: number, bytes: number, countPtr: number, sizePtr: number): number {
    this.mem.setU32(countPtr, count);
    this.mem.setU32(sizePtr, bytes);
    return ESUCCESS;
  }

  /** Copy the NUL-terminated strings to `buf` and point `ptrs[i]` at each. */
  private strings(packed: Uint8Array, ptrs: number, buf: number): number {
    this.mem.copyOut(buf, packed);
    let start = 0;
    for (let i = 0; start < packed.length; i++) {
      this.mem.setU32(ptrs + i * 4, buf + start);
      start = packed.indexOf(0, start) + 1;
    }
    return ESUCCESS;
  }
}
