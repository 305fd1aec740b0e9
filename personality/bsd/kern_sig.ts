// Signals (XNU's kern_sig.c): each process's actions, blocked mask and pending set. Posting a signal
// (psignal) carries out its default action at once: the process ends wherever it is, in a call or in
// a loop that makes none (its worker is stopped). A caught signal is marked pending for the program's
// handler, which the task library runs when the program next returns from it: the commpage's signal
// word says which are due (the library's check at every entry, where L4Linux uses thread control:
// lackorzynski-2004 4.2.5), and a call waiting in the server is interrupted (EINTR, or made again
// after the handler with SA_RESTART). ITIMER_REAL posts SIGALRM; a child's end posts SIGCHLD.
// Job control: the stop signals' default action stops the process (the commpage's stopped word, on
// which the task library parks at its next entry; a loop that makes no calls runs on), its parent
// hears of it (SIGCHLD, wait4 WUNTRACED); SIGCONT continues it (wait4 WCONTINUED), SIGKILL ends it.
// While stopped, other signals stay pending until it continues.
import { NSIG, SIGALRM, SIGCHLD, SIGCONT, SIGKILL, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH } from '../../abi/errno.js';
import type { ExitStatus } from '../../abi/exit.js';
import { SA_NODEFER, SA_RESETHAND, SA_RESTART, SIG_CATCH, SIG_DFL, SIG_IGN } from '../../abi/bsd.js';
import type { Process } from './proc.js';

/** Signal `n` as a bit of a set. */
export function sigbit(n: number): number {
  return 1 << (n - 1);
}

export const UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);
/** Signals whose default action is to do nothing. */
const DEFAULT_IGNORED = sigbit(SIGCHLD) | sigbit(SIGURG) | sigbit(SIGWINCH) | sigbit(SIGCONT);
/** Signals whose default action is to stop the process. */
export const STOP_SIGNALS = sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU);

/** What acting on a signal does beyond the process's own state: ending it, interrupting its waiting call, telling its parent. */
export interface SignalActions {
  terminate(proc: Process, status: ExitStatus): void;
  /** End its waiting calls: `restart` when the handlers due asked for SA_RESTART. */
  interrupt(proc: Process, restart: boolean): void;
  /** It stopped (by `signal`) or continued: its parent hears of it. */
  jobChanged(proc: Process, report: { stopped: number } | 'continued'): void;
  /** Whether process group `pgid` is orphaned (POSIX: then SIGTSTP, SIGTTIN and SIGTTOU do not stop its members). */
  orphaned(pgid: number): boolean;
}

export class SigState {
  readonly actions = new Int8Array(NSIG + 1);
  readonly flags = new Int32Array(NSIG + 1);
  readonly masks = new Int32Array(NSIG + 1);
  blocked = 0;
  pending = 0;
  /** Where each pending signal came from (the reason a process it ends is given). */
  readonly reasons: Array<string | undefined> = [];
  /** ITIMER_REAL: the pending SIGALRM, when it falls due (performance.now() ms) and its interval (ms). */
  timer?: ReturnType<typeof setTimeout>;
  due = 0;
  interval = 0;

  /** What a spawned child starts with: the blocked mask and the ignored signals; caught ones go back to the default. */
  forChild(): SigState {
    const child = new SigState();
    child.blocked = this.blocked;
    for (let n = 1; n <= NSIG; n++) if (this.actions[n] === SIG_IGN) child.actions[n] = SIG_IGN;
    return child;
  }

  /** What a forked child starts with: the actions, their flags and masks, and the blocked mask; nothing pending, no timer. */
  forFork(): SigState {
    const child = new SigState();
    child.actions.set(this.actions);
    child.flags.set(this.flags);
    child.masks.set(this.masks);
    child.blocked = this.blocked;
    return child;
  }

  /** exec: caught signals go back to the default (the handlers are gone); ignored ones, the mask, the pending set and the timer stay. */
  exec(): void {
    for (let n = 1; n <= NSIG; n++) {
      if (this.actions[n] === SIG_CATCH) this.actions[n] = SIG_DFL;
      this.flags[n] = this.masks[n] = 0;
    }
  }

  /** Forget the timer (the process ended). */
  stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Whether `n` is a signal number (1 to NSIG). */
export function validSignal(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= NSIG;
}

/** Post signal `n` to `proc`; `reason` says where it came from, should it end the process. */
export function psignal(act: SignalActions, proc: Process, n: number, reason = 'a signal'): void {
  if (proc.status) return;
  const st = proc.sig;
  if (n === SIGKILL) return act.terminate(proc, { signal: n, reason });
  if (n === SIGCONT) {
    st.pending &= ~STOP_SIGNALS;
    if (proc.stopped) resume(act, proc);
  }
  if (STOP_SIGNALS & sigbit(n)) st.pending &= ~sigbit(SIGCONT);
  if (ignored(st, n)) return;
  st.pending |= sigbit(n);
  st.reasons[n] = reason;
  update(act, proc);
}

/** Whether signal `n` would be dropped by `proc` now (ignored, or ignored by default). */
export function ignored(st: SigState, n: number): boolean {
  const action = st.actions[n];
  return action === SIG_IGN || (action === SIG_DFL && (DEFAULT_IGNORED & sigbit(n)) !== 0);
}

/**
 * Act on what is pending and not blocked: a default action at once (ending or stopping the
 * process), an ignored signal dropped, the caught ones published in the signal word (and a waiting
 * call interrupted for them). A stopped process acts on nothing until it continues.
 */
export function update(act: SignalActions, proc: Process): void {
  if (proc.status || proc.stopped) return;
  const st = proc.sig;
  for (let n = 1; n <= NSIG; n++) {
    if (!(st.pending & ~st.blocked & sigbit(n))) continue;
    if (ignored(st, n)) st.pending &= ~sigbit(n);
    else if (st.actions[n] === SIG_DFL && (STOP_SIGNALS & sigbit(n)) !== 0) {
      st.pending &= ~sigbit(n);
      if (n === SIGSTOP || !act.orphaned(proc.pgid)) return stop(act, proc, n);
    } else if (st.actions[n] === SIG_DFL) return act.terminate(proc, { signal: n, reason: st.reasons[n] ?? 'a signal' });
  }
  const due = st.pending & ~st.blocked;
  Atomics.store(proc.signalWord, 0, due);
  if (due === 0) return;
  Atomics.notify(proc.signalWord, 0); // a task sleeping in the library (a poll of clocks alone) wakes
  let restart = true;
  for (let n = 1; n <= NSIG; n++) if (due & sigbit(n) && !(st.flags[n] & SA_RESTART)) restart = false;
  act.interrupt(proc, restart);
}

/** Stop `proc` by signal `n`: the task library parks at its next entry; its parent hears of it. */
function stop(act: SignalActions, proc: Process, n: number): void {
  proc.stopped = true;
  Atomics.store(proc.stopWord, 0, n);
  act.jobChanged(proc, { stopped: n });
}

/** Continue a stopped `proc` (SIGCONT): the task library goes on; its parent hears of it; what became pending meanwhile is acted on. */
function resume(act: SignalActions, proc: Process): void {
  proc.stopped = false;
  Atomics.store(proc.stopWord, 0, 0);
  Atomics.notify(proc.stopWord, 0);
  act.jobChanged(proc, 'continued');
  update(act, proc);
}

/** sigaction: the old action, flags and mask; EINVAL (false) for SIGKILL, SIGSTOP or a bad signal. */
export function setAction(act: SignalActions, proc: Process, n: number, action: number, flags: number, mask: number) {
  const st = proc.sig;
  const old = { oldaction: st.actions[n], oldflags: st.flags[n], oldmask: st.masks[n] };
  if (action >= 0) {
    st.actions[n] = action;
    st.flags[n] = flags;
    st.masks[n] = mask & ~UNBLOCKABLE;
    update(act, proc); // POSIX: a pending signal now ignored is discarded
  }
  return old;
}

/** sigprocmask: set the blocked mask (SIGKILL and SIGSTOP cannot be blocked) and act on what it unblocks. */
export function setBlocked(act: SignalActions, proc: Process, mask: number): void {
  proc.sig.blocked = mask & ~UNBLOCKABLE;
  update(act, proc);
}

/** The task library takes the next caught signal to deliver (see abi/bsd.defs sigtake). */
export function take(proc: Process): { signal: number; flags: number; oldmask: number } {
  const st = proc.sig;
  const due = st.pending & ~st.blocked;
  if (due === 0) return { signal: 0, flags: 0, oldmask: st.blocked };
  const n = 31 - Math.clz32(due & -due) + 1;
  const flags = st.flags[n];
  const oldmask = st.blocked;
  st.pending &= ~sigbit(n);
  st.blocked = (st.blocked | st.masks[n] | (flags & SA_NODEFER ? 0 : sigbit(n))) & ~UNBLOCKABLE;
  if (flags & SA_RESETHAND) {
    st.actions[n] = SIG_DFL;
    st.flags[n] = 0;
  }
  Atomics.store(proc.signalWord, 0, st.pending & ~st.blocked);
  return { signal: n, flags, oldmask };
}

/** ITIMER_REAL: arm SIGALRM after `valueMs` (then every `intervalMs`), or disarm with 0; what was left of the old one (ms). */
export function setTimer(act: SignalActions, proc: Process, valueMs: number, intervalMs: number): { left: number; interval: number } {
  const st = proc.sig;
  const old = { left: st.timer ? Math.max(st.due - performance.now(), 0.001) : 0, interval: st.interval };
  st.stopTimer();
  st.interval = intervalMs;
  if (valueMs > 0) arm(act, proc, valueMs);
  return old;
}

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function arm(act: SignalActions, proc: Process, ms: number): void {
  const st = proc.sig;
  st.due = performance.now() + ms;
  st.timer = setTimeout(() => {
    st.timer = undefined;
    if (proc.status) return;
    const late = st.due - performance.now();
    if (late > 1) return arm(act, proc, late); // Node's timers may fire a little early
    if (st.interval > 0) arm(act, proc, st.interval);
    psignal(act, proc, SIGALRM, 'its alarm');
  }, Math.min(ms, MAX_TIMER_MS));
}
