// The task side of signals: when a call returns to the program and the commpage's signal word says a
// caught signal is due, take it from the server (sigtake) and run the program's handler through the
// dispatcher webmach's C library registers (sigdispatch: an entry of its function table), then
// restore the mask the handler ran under. A call the server ended with RESTART_SYSCALL (SA_RESTART) is made again after the handlers;
// so is a read or write the library was waiting in on a ring when a signal came, if SA_RESTART says so.
// A stopped process (job control: the commpage's stopped word) parks here, at its next entry, until
// it is continued; a call the server ended with RESTART_SYSCALL because it stopped the process (a
// background read of the terminal: SIGTTIN) is made again then. A program computing without calls
// cannot be stopped: Wasm cannot be interrupted. The mechanism is the server's (personality/bsd/kern_sig.ts).
import { EINTR, EINVAL, INTERRUPTED, RESTART_SYSCALL, ESUCCESS } from '../abi/errno.js';
import type { Ring, RingSide } from '../abi/ring.js';
import { COMMPAGE } from '../abi/commpage.js';
import { SA_RESTART, SIG_SETMASK } from '../abi/bsd.js';
import type { Commpage } from './commpage.js';
import type { Syscalls } from './syscall.js';
import * as bsd from './bsd_user.js';

/** A sleep on a ring looks for signals this often (the server wakes the signal word, not the ring). */
const SIGNAL_LOOK_MS = 50;

export type Dispatcher = (signal: number) => void;

export class Signals {
  private dispatch: Dispatcher | undefined;
  /** The dispatcher's entry in the program's function table (-1: none registered). */
  dispatcherIndex = -1;
  /** How many handlers are running now (the library is below the program on the stack). */
  handling = 0;
  private table: WebAssembly.Table | undefined;
  /** The commpage's signal word: the server stores the signals due there and notifies it. */
  readonly word: Int32Array;
  /** The commpage's stopped word: nonzero while the process is stopped (the server clears it and notifies it). */
  private stopped: Int32Array;

  constructor(private sys: Syscalls, page: Commpage) {
    this.word = page.words.subarray(COMMPAGE.signals >> 2, (COMMPAGE.signals >> 2) + 1);
    this.stopped = page.words.subarray(COMMPAGE.stopped >> 2, (COMMPAGE.stopped >> 2) + 1);
  }

  /** Park while the process is stopped (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU), until SIGCONT (or SIGKILL, which ends the worker). */
  parkWhileStopped(): void {
    for (let v = Atomics.load(this.stopped, 0); v !== 0; v = Atomics.load(this.stopped, 0)) Atomics.wait(this.stopped, 0, v);
  }

  /** Whether a caught signal is due. */
  due(): boolean {
    return Atomics.load(this.word, 0) !== 0;
  }

  /** The program's function table, where its dispatcher is (programs built with webmach's SDK export it). */
  bind(instance: WebAssembly.Instance): void {
    const t = instance.exports.__indirect_function_table;
    this.table = t instanceof WebAssembly.Table ? t : undefined;
  }

  /** The program's dispatcher: entry `index` of its function table. EINVAL when there is no such function. */
  setDispatcher(index: number): number {
    const f: unknown = this.table && index >= 0 && index < this.table.length ? this.table.get(index) : undefined;
    if (typeof f !== 'function') return EINVAL;
    this.dispatch = f as Dispatcher;
    this.dispatcherIndex = index;
    return ESUCCESS;
  }

  /**
   * Call `f`, making it again after the handlers run while the server answers RESTART_SYSCALL (or
   * the library INTERRUPTED, when every handler run asked for SA_RESTART: else that is EINTR); then
   * run the handlers due.
   */
  around<A extends unknown[]>(f: (...args: A) => number, args: A): number {
    let r = f(...args);
    while (r === RESTART_SYSCALL || r === INTERRUPTED) {
      this.parkWhileStopped();
      if (!this.deliver() && r === INTERRUPTED) return EINTR;
      r = f(...args);
    }
    this.parkWhileStopped();
    if (this.due()) this.deliver();
    return r;
  }

  /** Run the handler of every caught signal due, one at a time, each under its own mask; whether all of them asked for SA_RESTART. */
  deliver(): boolean {
    let restart = true;
    for (;;) {
      const { errno, signal, flags, oldmask } = bsd.sigtake(this.sys);
      if (errno !== 0 || signal === 0) return restart;
      if (!(flags & SA_RESTART)) restart = false;
      this.handling++;
      try {
        this.dispatch?.(signal);
      } finally {
        this.handling--;
      }
      bsd.sigprocmask(this.sys, SIG_SETMASK, oldmask);
    }
  }

  /** Sleep on `ring` as `side` (after prepareWait gave `seq`), waking within SIGNAL_LOOK_MS to see whether a signal came; whether one did. */
  sleepOn(ring: Ring, side: RingSide, seq: number): boolean {
    ring.wait(side, seq, SIGNAL_LOOK_MS);
    return this.due();
  }
}
