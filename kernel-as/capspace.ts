// Capability spaces: each task names its IPC partners through CAP_SLOTS slots. Only a privileged task
// mints or deletes capabilities; use decodes a slot into a live thread, checking the right asked for.
import {
  CAP_SLOTS, CAP_TYPE, CAP_TARGET, CAP_BADGE, CAP_RIGHTS, CAP_SIZE, CAP_THREAD,
  E_INVALID_CAP, E_PERM, E_DEAD,
} from './abi';
import { capAddr, rd, wr } from './mem';
import { liveIndex, liveOrDeadIndex } from './thread';

/** Result of decoding a capability: a live thread's index and id, and the badge to deliver. */
export let capIdx: i32 = 0;
export let capTid: i32 = 0;
export let capBadge: i32 = 0;

/**
 * Decode slot `slot` of `task` needing `right`; fills capIdx/capTid/capBadge. Returns an error code.
 * With `live` false only the thread's identity is checked (its read-mostly line, not its hot one):
 * a send finds out whether the thread is dead when it claims it.
 */
export function capLookup(task: i32, slot: i32, right: i32, live: bool = true): i32 {
  if (slot < 0 || slot >= CAP_SLOTS) return E_INVALID_CAP;
  const c = capAddr(task, slot);
  if (rd(c, CAP_TYPE) != CAP_THREAD) return E_INVALID_CAP;
  if ((rd(c, CAP_RIGHTS) & right) == 0) return E_PERM;
  const tid = rd(c, CAP_TARGET);
  const idx = live ? liveIndex(tid) : liveOrDeadIndex(tid);
  if (idx < 0) return E_DEAD;
  capIdx = idx;
  capTid = tid;
  capBadge = rd(c, CAP_BADGE);
  return 0;
}

export function capWrite(task: i32, slot: i32, tid: i32, badge: i32, rights: i32): void {
  const c = capAddr(task, slot);
  wr(c, CAP_TARGET, tid);
  wr(c, CAP_BADGE, badge);
  wr(c, CAP_RIGHTS, rights);
  wr(c, CAP_TYPE, CAP_THREAD);
}

export function capClear(task: i32, slot: i32): void {
  memory.fill(capAddr(task, slot), 0, <usize>CAP_SIZE);
}
