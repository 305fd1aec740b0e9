// Task (address-space) records: creation, the pager and exception-handler settings, and destruction,
// which aborts every IPC that involves the task's threads. Callers hold the kernel lock.
import {
  MAX_TASKS, MAX_THREADS, TASK_SIZE, TASK_STATE, TASK_ID, TASK_FLAGS, TASK_NTHREADS,
  TASK_ALIVE, TASK_FREE, TASK_DEAD, TASK_PRIVILEGED,
  TCB_STATE, TCB_TASK, TCB_PARTNER, TCB_SENDQ_HEAD, TCB_SENDQ_TAIL, TS_FREE, TS_DEAD, TS_SENDING, TS_RECEIVING, TS_CALLING,
  E_DEAD,
} from './abi';
import { taskAddr, tcbAddr, rd, wr, ard, } from './mem';
import {
  finish, unblock, queueHead, queueNext, isBusy, claimer, unclaim, release, endWait, liveOrDeadIndex,
} from './thread';
import { wake } from './futex';

export function taskAlive(task: i32): bool {
  return task >= 0 && task < MAX_TASKS && rd(taskAddr(task), TASK_STATE) == TASK_ALIVE;
}

export function taskPrivileged(task: i32): bool {
  return (rd(taskAddr(task), TASK_FLAGS) & TASK_PRIVILEGED) != 0;
}

/** Claim a free record; returns its index or -1. Index 0 is the root task, claimed at boot. */
export function taskAlloc(flags: i32, from: i32): i32 {
  for (let i = from; i < MAX_TASKS; i++) {
    const a = taskAddr(i);
    const s = rd(a, TASK_STATE);
    if (s != TASK_FREE && s != TASK_DEAD) continue;
    memory.fill(a, 0, <usize>TASK_SIZE);
    wr(a, TASK_ID, i);
    wr(a, TASK_FLAGS, flags & TASK_PRIVILEGED);
    wr(a, TASK_STATE, TASK_ALIVE);
    return i;
  }
  return -1;
}

/** Destroy `task`: its threads die, their partners get E_DEAD, queued senders are released. */
export function taskKill(task: i32): void {
  for (let i = 0; i < MAX_THREADS; i++) {
    const t = tcbAddr(i);
    const s = ard(t, TCB_STATE);
    if (s == TS_FREE || s == TS_DEAD || rd(t, TCB_TASK) != task) continue;
    if (s == TS_SENDING) unblock(i);
    atomic.xchg<i32>(t + <usize>TCB_STATE, TS_DEAD);
    releaseQueue(i);
    wake(i);
  }
  abortPartnersOf(task);
  wr(taskAddr(task), TASK_STATE, TASK_DEAD);
  wr(taskAddr(task), TASK_NTHREADS, 0);
}

function releaseQueue(idx: i32): void {
  let cur = queueHead(idx);
  while (cur != 0) {
    const next = queueNext(cur);
    finish(cur - 1, E_DEAD);
    cur = next;
  }
  wr(tcbAddr(idx), TCB_SENDQ_HEAD, 0);
  wr(tcbAddr(idx), TCB_SENDQ_TAIL, 0);
}

function deadIn(idx: i32, task: i32): bool {
  const t = tcbAddr(idx);
  return rd(t, TCB_TASK) == task && ard(t, TCB_STATE) == TS_DEAD;
}

/**
 * Threads of other tasks waiting on a (now dead) thread of `task` get E_DEAD; claims held by a dead
 * thread are undone (a half-delivered message is never seen; a half-delivered reply becomes E_DEAD).
 */
function abortPartnersOf(task: i32): void {
  for (let i = 0; i < MAX_THREADS; i++) {
    const t = tcbAddr(i);
    const s = ard(t, TCB_STATE);
    if (isBusy(s)) {
      if (!deadIn(claimer(s), task)) continue;
      if (((s >> 4) & 0xf) == TS_RECEIVING) unclaim(i, s);
      else release(i, s, E_DEAD);
      continue;
    }
    if (s != TS_CALLING && s != TS_RECEIVING && s != TS_SENDING) continue;
    const p = rd(t, TCB_PARTNER);
    const pi = liveOrDeadIndex(p);
    if (pi >= 0 && deadIn(pi, task)) endWait(i, E_DEAD);
  }
}
