// Asynchronous notification words: a post ORs bits into the target thread's word without blocking
// and without the kernel lock, then wakes it; the target sees them at its next open receive (as a
// message with TAG_NOTIFY) or takes them with notify_take. Host events, timers and "worker exited"
// arrive this way, as interrupts do on L4.
import { TCB_NOTIFY } from './abi';
import { tcbAddr } from './mem';
import { wake } from './futex';

export function notifyPost(idx: i32, bits: i32): void {
  atomic.or<i32>(tcbAddr(idx) + <usize>TCB_NOTIFY, bits);
  wake(idx);
}

export function notifyTake(idx: i32): i32 {
  return atomic.xchg<i32>(tcbAddr(idx) + <usize>TCB_NOTIFY, 0);
}
