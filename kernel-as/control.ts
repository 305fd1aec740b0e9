// Thread control across tasks (L4's ex-regs, reduced): stop, resume, post pending flags, abort a
// blocked IPC. Allowed only to the target task's pager; decoding is done by the caller (kernel.ts).
import {
  TCB_CTL, TCB_PENDING, TCTL_STOPPED, CTL_STOP, CTL_RESUME, CTL_POST, CTL_ABORT,
  OK, E_INVALID_ARG, E_ABORTED,
} from './abi';
import { tcbAddr } from './mem';
import { wake } from './futex';
import { endWaitLocked } from './ipc';

export function threadControl(idx: i32, op: i32, arg: i32): i32 {
  const t = tcbAddr(idx);
  if (op == CTL_STOP) atomic.or<i32>(t + <usize>TCB_CTL, TCTL_STOPPED);
  else if (op == CTL_RESUME) atomic.and<i32>(t + <usize>TCB_CTL, ~TCTL_STOPPED);
  else if (op == CTL_POST) atomic.or<i32>(t + <usize>TCB_PENDING, arg);
  else if (op == CTL_ABORT) endWaitLocked(idx, E_ABORTED);
  else return E_INVALID_ARG;
  wake(idx);
  return OK;
}

/** The current thread takes (reads and clears) the flags its pager posted. */
export function pendingTake(idx: i32): i32 {
  return atomic.xchg<i32>(tcbAddr(idx) + <usize>TCB_PENDING, 0);
}
