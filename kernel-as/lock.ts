// The kernel lock: one word on its own cache line, holding the id of the thread that owns it (so a
// task that dies while holding it can be recognised and the lock broken). Every IPC state change is
// made under it; critical sections are short (at most a 65-word copy and a queue walk) and never wait.
// Why one lock: on a 2-core machine contention is rare, and one lock keeps every transition easy to
// reason about; per-object locks would need lock ordering between sender and receiver.
import { KHDR_LOCK, LOCK_CONTENDED } from './abi';
import { khdr } from './mem';
import { mayBlock } from './cpu';
import { waitWord } from './futex';

const LOCK_SPIN: i32 = 2000;

export function lock(owner: i32): void {
  if (atomic.cmpxchg<i32>(khdr(KHDR_LOCK), 0, owner) != 0) lockSlow(owner);
}

function lockSlow(owner: i32): void {
  const a = khdr(KHDR_LOCK);
  let spins = 0;
  let mark = 0; // once we have slept, take the lock marked contended so others still get woken
  while (true) {
    const v = atomic.load<i32>(a);
    if (v == 0) {
      if (atomic.cmpxchg<i32>(a, 0, owner | mark) == 0) return;
      continue;
    }
    if (spins < LOCK_SPIN || mayBlock == 0) {
      spins++;
      continue;
    }
    if ((v & LOCK_CONTENDED) == 0 && atomic.cmpxchg<i32>(a, v, v | LOCK_CONTENDED) != v) continue;
    mark = LOCK_CONTENDED;
    spins += waitWord(a, v | LOCK_CONTENDED, 0);
  }
}

export function unlock(): void {
  const old = atomic.xchg<i32>(khdr(KHDR_LOCK), 0);
  if ((old & LOCK_CONTENDED) != 0) atomic.notify(khdr(KHDR_LOCK), 1);
}

/** The thread id holding the lock, 0 if free. */
export function lockOwner(): i32 {
  return atomic.load<i32>(khdr(KHDR_LOCK)) & ~LOCK_CONTENDED;
}

/** Release the lock if `owner` holds it: used when owner's worker ended inside the kernel. */
export function breakLock(owner: i32): void {
  const a = khdr(KHDR_LOCK);
  const v = atomic.load<i32>(a);
  if ((v & ~LOCK_CONTENDED) == owner && atomic.cmpxchg<i32>(a, v, 0) == v) atomic.notify(a, 1);
}
