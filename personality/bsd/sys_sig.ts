// Signal system calls (XNU's kern_sig.c, the calls): kill, sigaction, sigprocmask, sigpending,
// sigsuspend, setitimer, and sigtake, with which the task library takes a caught signal to run its
// handler. The mechanism is kern_sig.ts.
import { EINTR, EINVAL, ESRCH } from '../../abi/errno.js';
import { VfsError } from '../vfs/vnode.js';
import { Blocked } from './wait.js';
import { psignal, setAction, setBlocked, setTimer, sigbit, take, validSignal, UNBLOCKABLE } from './kern_sig.js';
import { SIG_BLOCK, SIG_CATCH, SIG_SETMASK, SIG_UNBLOCK } from '../../abi/bsd.js';
import type { Process } from './proc.js';
import type { Request } from './syscalls.js';
import type {
  KillIn, KillOut, SigactionIn, SigactionOut, SigpendingOut, SigprocmaskIn, SigprocmaskOut, SigsuspendIn, SetitimerIn, SetitimerOut, SigtakeOut,
} from './bsd_server.js';

/** The processes `pid` names for kill: one, a group (< -1), the caller's group (0), or all but the caller (-1). */
function targets(r: Request, pid: number): Process[] {
  const all = r.server.pm.procs.running();
  if (pid > 0) return all.filter((p) => p.pid === pid);
  if (pid === 0) return all.filter((p) => p.pgid === r.proc.pgid);
  if (pid === -1) return all.filter((p) => p !== r.proc);
  return all.filter((p) => p.pgid === -pid);
}

/** kill: 1 in `terminated` when the signal ended the caller (the task library then stops the program). */
export function sysKill(r: Request, a: KillIn): KillOut {
  if (a.signal !== 0 && !validSignal(a.signal)) throw new VfsError(EINVAL);
  const procs = targets(r, a.pid);
  if (procs.length === 0) throw new VfsError(ESRCH);
  const reason = a.pid === r.proc.pid ? 'raised by the program' : `sent by pid ${r.proc.pid}`;
  if (a.signal !== 0) for (const p of procs) psignal(r.server, p, a.signal, reason);
  return { terminated: r.proc.status ? 1 : 0 };
}

export function sysSigaction(r: Request, a: SigactionIn): SigactionOut {
  if (!validSignal(a.signal) || a.action > SIG_CATCH || (a.action >= 0 && (UNBLOCKABLE & sigbit(a.signal)) !== 0)) throw new VfsError(EINVAL);
  return setAction(r.server, r.proc, a.signal, a.action, a.flags, a.mask);
}

export function sysSigprocmask(r: Request, a: SigprocmaskIn): SigprocmaskOut {
  const old = r.proc.sig.blocked;
  if (a.how === SIG_BLOCK) setBlocked(r.server, r.proc, old | a.set);
  else if (a.how === SIG_UNBLOCK) setBlocked(r.server, r.proc, old & ~a.set);
  else if (a.how === SIG_SETMASK) setBlocked(r.server, r.proc, a.set);
  else throw new VfsError(EINVAL);
  return { old };
}

export function sysSigpending(r: Request): SigpendingOut {
  return { set: r.proc.sig.pending & r.proc.sig.blocked };
}

/** sigsuspend: `mask` is blocked until a signal is due (the call ends with EINTR: kern_sig interrupts it); the library restores the old mask. */
export function sysSigsuspend(r: Request, a: SigsuspendIn): void {
  if (r.state === undefined) {
    r.state = true;
    setBlocked(r.server, r.proc, a.mask);
  }
  if (Atomics.load(r.proc.signalWord, 0) !== 0) throw new VfsError(EINTR);
  throw new Blocked([r.proc.sig]);
}

const ITIMER_REAL = 0;

export function sysSetitimer(r: Request, a: SetitimerIn): SetitimerOut {
  if (a.which !== ITIMER_REAL) throw new VfsError(EINVAL);
  const old = setTimer(r.server, r.proc, Number(a.value) / 1000, Number(a.interval) / 1000);
  return { oldvalue: BigInt(Math.ceil(old.left * 1000)), oldinterval: BigInt(Math.round(old.interval * 1000)) };
}

export function sysSigtake(r: Request): SigtakeOut {
  return take(r.proc);
}
