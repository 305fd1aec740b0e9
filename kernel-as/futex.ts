// Waiting and waking, the only place the kernel blocks. A thread sleeps on its TCB.FUTEX event count;
// wakers bump it and notify only when TCB.SLEEPING says the thread may be asleep (see wake).
//
// Liftoff guard (TOOLCHAIN.md): V8 11.3's baseline compiler can lose locals that are live in
// registers across a memory.atomic.wait32 inside a loop (using the wait's result is not enough: a
// build where the wait was inlined into honorStop's loop stored to address 0 after a resume). So the
// only wait is in waitWord, a loop-free function that must stay a real call: Binaryen does not inline
// it because it calls the host clock and has more than one caller. test/kernel-as/liftoff.test.ts
// checks the built code for waits inside loops.
import { TCB_FUTEX, TCB_SLEEPING } from './abi';
import { tcbAddr } from './mem';
import { hostNow } from './host';

/**
 * Block while the word at `addr` equals `expected`, until `deadline` (hostNow() milliseconds; 0:
 * forever). 0 woken, 1 not-equal, 2 timed out (at once if the deadline has passed).
 */
export function waitWord(addr: usize, expected: i32, deadline: f64): i32 {
  let ns: i64 = -1;
  if (deadline > 0) {
    const left = deadline - hostNow();
    if (left <= 0) return 2;
    ns = <i64>(left * 1e6);
  }
  return memory.atomic.wait32(addr, expected, ns);
}

/**
 * Wake thread `idx` if it may be asleep. Waker and sleeper follow one protocol (Dekker style, all
 * accesses sequentially consistent): the waker first makes its change visible (state, bits), then
 * reads SLEEPING; the sleeper first sets SLEEPING (prepareSleep), then re-checks its condition, then
 * sleeps on the event count it read. Either the waker sees SLEEPING and bumps the count (so the sleep
 * returns), or the sleeper's re-check sees the change. No atomic read-modify-write when nobody sleeps.
 */
export function wake(idx: i32): void {
  const t = tcbAddr(idx);
  if (atomic.load<i32>(t + <usize>TCB_SLEEPING) == 0) return;
  atomic.add<i32>(t + <usize>TCB_FUTEX, 1);
  atomic.notify(t + <usize>TCB_FUTEX, 1);
}

/** May thread `idx` be asleep (or about to sleep, or woken and not yet running again)? */
export function mayBeAsleep(idx: i32): bool {
  return atomic.load<i32>(tcbAddr(idx) + <usize>TCB_SLEEPING) != 0;
}

/** Announce that thread `idx` is about to sleep; the event count to sleep on. Re-check, then sleepOn. */
export function prepareSleep(idx: i32): i32 {
  const t = tcbAddr(idx);
  atomic.store<i32>(t + <usize>TCB_SLEEPING, 1);
  return atomic.load<i32>(t + <usize>TCB_FUTEX);
}

/** The re-check found the condition met: do not sleep after all. */
export function cancelSleep(idx: i32): void {
  atomic.store<i32>(tcbAddr(idx) + <usize>TCB_SLEEPING, 0);
}

/** Sleep on the event count `seq` from prepareSleep until `deadline` (0: forever); the wait's result. */
export function sleepOn(idx: i32, seq: i32, deadline: f64): i32 {
  const t = tcbAddr(idx);
  const r = waitWord(t + <usize>TCB_FUTEX, seq, deadline);
  atomic.store<i32>(t + <usize>TCB_SLEEPING, 0);
  return r;
}
