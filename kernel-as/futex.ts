// Waiting and waking, the only place the kernel blocks. A thread waits on its TCB.FUTEX event count;
// wakers bump it and notify only when TCB.SLEEPING says the thread may be asleep.
//
// Liftoff guard (TOOLCHAIN.md): V8 11.3's baseline compiler loses loop-carried locals across a
// memory.atomic.wait32 whose result is dropped inside a loop. Every wait goes through waitWord, whose
// result callers use, so the pattern that triggers the bug is never emitted.
import { TCB_FUTEX, TCB_SLEEPING } from './abi';
import { tcbAddr } from './mem';

/** Block while the word at `addr` equals `expected`, at most `ns` ns (-1: forever). 0 ok, 1 not-equal, 2 timed out. */
export function waitWord(addr: usize, expected: i32, ns: i64): i32 {
  return memory.atomic.wait32(addr, expected, ns);
}

/** Wake thread `idx` from any wait on its event count. */
export function wake(idx: i32): void {
  const t = tcbAddr(idx);
  atomic.add<i32>(t + <usize>TCB_FUTEX, 1);
  if (atomic.load<i32>(t + <usize>TCB_SLEEPING) != 0) atomic.notify(t + <usize>TCB_FUTEX, 1);
}

/**
 * Sleep on thread `idx`'s event count, unless it moved past `seq` (an event happened since the
 * caller read it). Sets SLEEPING first so that a waker that bumps the count after our read notifies.
 */
export function sleep(idx: i32, seq: i32, ns: i64): i32 {
  const t = tcbAddr(idx);
  atomic.store<i32>(t + <usize>TCB_SLEEPING, 1);
  const r = waitWord(t + <usize>TCB_FUTEX, seq, ns);
  atomic.store<i32>(t + <usize>TCB_SLEEPING, 0);
  return r;
}
