// The kernel's entry points, exported to the worker that instantiates kernel.wasm. Each call decodes
// and checks its arguments with no side effects, then invokes the object code in ipc.ts, task.ts,
// capspace.ts, notify.ts and control.ts. Calls returning an id return it (> 0 or >= 0 for tasks) or a
// negated error code; the others return an error code (OK = 0), also left in the caller's UTCB.ERROR.
// What this file does not do: wait (futex.ts), or touch a program's memory (the task library does).
import {
  ABI_MAGIC, ABI_VERSION, DEFAULT_SPIN, KHDR_MAGIC, KHDR_VERSION, KHDR_SPIN, KHDR_MEM_PAGES, KHDR_FASTPATH,
  MAX_TASKS, TCB_BASE, TCB_SIZE, MAX_THREADS, CAP_SLOTS,
  TASK_PAGER, TASK_EXC_HANDLER, TASK_NTHREADS, TASK_PRIVILEGED, TCB_TASK, UTCB_ERROR,
  ANY, RIGHT_SEND, RIGHT_NOTIFY, RIGHT_RECEIVE, TAG_EXCEPTION, TIMEOUT_NEVER, TIMEOUT_ASYNC,
  OK, E_INVALID_ARG, E_PERM, E_NO_SPACE, E_NO_HANDLER, E_DEAD, E_STATE, E_WOULDBLOCK, TS_RUNNING,
} from './abi';
import { khdr, taskAddr, tcbAddr, utcbAddr, rd, wr } from './mem';
import { current, currentIdx, setCurrent, setWorker } from './cpu';
import { lock, unlock, lockOwner, breakLock } from './lock';
import { liveIndex, threadAlloc, threadInitRoot, taskOf, stateOf, idxOf, isRunning } from './thread';
import { taskAlive, taskPrivileged, taskAlloc, taskKill } from './task';
import { capLookup, capIdx, capBadge, capTid, capWrite, capClear } from './capspace';
import { checkMessage, doSend, doReceive, doReplyWait, doPoll, doCancel, honorStop, makePassive } from './ipc';
import { notifyPost, notifyTake } from './notify';
import { fastCall } from './fastpath';
import { prepareSleep, cancelSleep } from './futex';
import { threadControl, pendingTake } from './control';

// ---- helpers for the entry points -------------------------------------------------------------

/** Record `r` as the current thread's last error and return it. */
function ret(r: i32): i32 {
  if (current != 0) wr(utcbAddr(currentIdx), UTCB_ERROR, r);
  return r;
}

/** Entry check common to every call: attached, and not stopped by the pager. */
function enter(): bool {
  if (current == 0) return false;
  honorStop(currentIdx);
  return true;
}

function privileged(): bool {
  return taskPrivileged(taskOf(currentIdx));
}

function validTimeout(timeout: i32): bool {
  return timeout >= TIMEOUT_ASYNC;
}

// ---- boot and binding -------------------------------------------------------------------------

/** Initialise the kernel area (once, by the host, before any worker starts); returns the root thread id. */
export function kernel_boot(spin: i32): i32 {
  memory.fill(0, 0, <usize>(TCB_BASE + TCB_SIZE * MAX_THREADS));
  wr(khdr(0), KHDR_VERSION, ABI_VERSION);
  wr(khdr(0), KHDR_SPIN, spin < 0 ? DEFAULT_SPIN : spin);
  wr(khdr(0), KHDR_FASTPATH, 1);
  wr(khdr(0), KHDR_MEM_PAGES, <i32>memory.size());
  taskAlloc(TASK_PRIVILEGED, 0);
  const root = threadInitRoot();
  wr(taskAddr(0), TASK_NTHREADS, 1);
  atomic.store<i32>(khdr(KHDR_MAGIC), ABI_MAGIC);
  return root;
}

/** Bind this instance to thread `tid` running in worker `workerNo`; `mayBlock` 0 on a browser's main thread. */
export function kernel_attach(tid: i32, workerNo: i32, mayBlock: i32): i32 {
  if (atomic.load<i32>(khdr(KHDR_MAGIC)) != ABI_MAGIC) return E_STATE;
  if (liveIndex(tid) < 0) return E_DEAD;
  setCurrent(tid);
  setWorker(workerNo, mayBlock);
  return OK;
}

/** Switch this instance to another live thread of the same task (for colocated handlers). */
export function kernel_switch(tid: i32): i32 {
  const idx = liveIndex(tid);
  if (idx < 0) return E_DEAD;
  if (current != 0 && taskOf(idx) != taskOf(currentIdx)) return E_PERM;
  setCurrent(tid);
  return OK;
}

export function kernel_current(): i32 {
  return current;
}

export function kernel_set_spin(spin: i32): i32 {
  if (spin < 0) return E_INVALID_ARG;
  atomic.store<i32>(khdr(KHDR_SPIN), spin);
  return OK;
}

/** Turn the IPC fastpath on (1) or off (0); semantics are the same either way. */
export function kernel_set_fastpath(on: i32): i32 {
  if (on != 0 && on != 1) return E_INVALID_ARG;
  atomic.store<i32>(khdr(KHDR_FASTPATH), on);
  return OK;
}

/** Address of thread `tid`'s UTCB (its message registers), or 0 if `tid` is not live. */
export function utcb_addr(tid: i32): i32 {
  const idx = liveIndex(tid);
  return idx < 0 ? 0 : <i32>utcbAddr(idx);
}

// ---- tasks, threads and capabilities (privileged) ---------------------------------------------

export function task_create(flags: i32): i32 {
  if (!enter()) return -E_STATE;
  if (!privileged()) return -ret(E_PERM);
  lock(current);
  const t = taskAlloc(flags, 1);
  unlock();
  return t < 0 ? -ret(E_NO_SPACE) : t;
}

export function thread_create(task: i32): i32 {
  if (!enter()) return -E_STATE;
  if (!privileged()) return -ret(E_PERM);
  lock(current);
  let tid = -E_INVALID_ARG;
  if (taskAlive(task)) {
    tid = threadAlloc(task);
    if (tid == 0) tid = -E_NO_SPACE;
    else wr(taskAddr(task), TASK_NTHREADS, rd(taskAddr(task), TASK_NTHREADS) + 1);
  }
  unlock();
  return tid < 0 ? -ret(-tid) : tid;
}

/** Set `field` (pager or exception handler) of `task` to live thread `tid`. */
function taskSetThread(task: i32, field: i32, tid: i32): i32 {
  if (!enter()) return E_STATE;
  if (!privileged()) return ret(E_PERM);
  if (liveIndex(tid) < 0) return ret(E_DEAD);
  lock(current);
  const ok = taskAlive(task);
  if (ok) wr(taskAddr(task), field, tid);
  unlock();
  return ret(ok ? OK : E_INVALID_ARG);
}

export function task_set_pager(task: i32, tid: i32): i32 {
  return taskSetThread(task, TASK_PAGER, tid);
}

export function task_set_exc_handler(task: i32, tid: i32): i32 {
  return taskSetThread(task, TASK_EXC_HANDLER, tid);
}

export function cap_mint(task: i32, slot: i32, tid: i32, badge: i32, rights: i32): i32 {
  if (!enter()) return E_STATE;
  if (!privileged()) return ret(E_PERM);
  if (slot < 0 || slot >= CAP_SLOTS) return ret(E_INVALID_ARG);
  if ((rights & ~(RIGHT_SEND | RIGHT_NOTIFY | RIGHT_RECEIVE)) != 0 || rights == 0) return ret(E_INVALID_ARG);
  if (liveIndex(tid) < 0) return ret(E_DEAD);
  lock(current);
  const ok = taskAlive(task);
  if (ok) capWrite(task, slot, tid, badge, rights);
  unlock();
  return ret(ok ? OK : E_INVALID_ARG);
}

export function cap_delete(task: i32, slot: i32): i32 {
  if (!enter()) return E_STATE;
  if (!privileged()) return ret(E_PERM);
  if (slot < 0 || slot >= CAP_SLOTS) return ret(E_INVALID_ARG);
  lock(current);
  const ok = taskAlive(task);
  if (ok) capClear(task, slot);
  unlock();
  return ret(ok ? OK : E_INVALID_ARG);
}

/**
 * Destroy `task` after its workers have ended: every IPC involving its threads is aborted with
 * E_DEAD for the partners. If a dying worker held the kernel lock, the lock is broken first.
 */
export function task_destroy(task: i32): i32 {
  if (!enter()) return E_STATE;
  if (!privileged()) return ret(E_PERM);
  if (task <= 0 || task >= MAX_TASKS) return ret(E_INVALID_ARG);
  if (task == taskOf(currentIdx)) return ret(E_INVALID_ARG);
  const owner = lockOwner();
  if (owner != 0 && taskOf(idxOf(owner)) == task) breakLock(owner);
  lock(current);
  const ok = taskAlive(task);
  if (ok) taskKill(task);
  unlock();
  return ret(ok ? OK : E_INVALID_ARG);
}

// ---- IPC ----------------------------------------------------------------------------------------

/** Decode a send-side capability and check the message; fills capIdx/capBadge. */
function decodeSend(cap: i32, timeout: i32, right: i32): i32 {
  if (!validTimeout(timeout)) return E_INVALID_ARG;
  const r = capLookup(taskOf(currentIdx), cap, right, false);
  if (r != OK) return r;
  return checkMessage(currentIdx);
}

/** Send the message in MR0.. to the thread named by capability `cap`. */
export function ipc_send(cap: i32, timeout: i32): i32 {
  if (!enter()) return E_STATE;
  const r = decodeSend(cap, timeout, RIGHT_SEND);
  if (r != OK) return ret(r);
  return ret(doSend(capIdx, capBadge, timeout, false, 0));
}

/** Send, then wait for the reply from the same thread; `timeout` bounds the whole call (0: send must not block). */
export function ipc_call(cap: i32, timeout: i32): i32 {
  const f = fastCall(cap, timeout);
  if (f != E_WOULDBLOCK) return ret(f);
  if (!enter()) return E_STATE;
  const r = decodeSend(cap, timeout, RIGHT_SEND);
  if (r != OK) return ret(r);
  return ret(doSend(capIdx, capBadge, timeout, true, 0));
}

/** Receive from the thread named by `cap` (RIGHT_RECEIVE), or from anyone with `cap` = ANY. */
export function ipc_receive(cap: i32, timeout: i32): i32 {
  if (!enter()) return E_STATE;
  if (!validTimeout(timeout)) return ret(E_INVALID_ARG);
  let from = ANY;
  if (cap != ANY) {
    const r = capLookup(taskOf(currentIdx), cap, RIGHT_RECEIVE);
    if (r != OK) return ret(r);
    from = capTid;
  }
  return ret(doReceive(from, timeout));
}

/** Reply to thread `tid`, which must be blocked in a call to the current thread. Never blocks. */
export function ipc_reply(tid: i32): i32 {
  if (!enter()) return E_STATE;
  const r = checkMessage(currentIdx);
  if (r != OK) return ret(r);
  return ret(doReplyWait(tid, false, 0));
}

/** Reply to `tid` (0: no reply) and wait for the next message from anyone, in one kernel entry. */
export function ipc_reply_wait(tid: i32, timeout: i32): i32 {
  if (!enter()) return E_STATE;
  if (!validTimeout(timeout)) return ret(E_INVALID_ARG);
  if (tid != 0) {
    const r = checkMessage(currentIdx);
    if (r != OK) return ret(r);
  }
  return ret(doReplyWait(tid, true, timeout));
}

/** Complete a receive armed with TIMEOUT_ASYNC. */
export function ipc_poll(): i32 {
  if (!enter()) return E_STATE;
  return ret(doPoll());
}

export function ipc_cancel(): i32 {
  if (!enter()) return E_STATE;
  return ret(doCancel());
}

/**
 * Prepare to sleep on the current thread's event count outside the kernel (Atomics.waitAsync in a
 * server's event loop): marks the thread sleeping and returns the count to wait on. Then call
 * ipc_poll (the re-check), and wait only if it still says E_WOULDBLOCK; ipc_sleep_done afterwards.
 */
export function ipc_sleep_prepare(): i32 {
  return prepareSleep(currentIdx);
}

export function ipc_sleep_done(): void {
  cancelSleep(currentIdx);
}

/** Make thread `tid` (of the current task) a passive handler run by colocated calls in this worker. */
export function thread_set_passive(tid: i32): i32 {
  if (!enter()) return E_STATE;
  const idx = liveIndex(tid);
  if (idx < 0) return ret(E_DEAD);
  if (taskOf(idx) != taskOf(currentIdx) || idx == currentIdx) return ret(E_PERM);
  makePassive(idx);
  return ret(OK);
}

// ---- notifications, exceptions, thread control ------------------------------------------------

export function notify_post(cap: i32, bits: i32): i32 {
  if (!enter()) return E_STATE;
  const r = capLookup(taskOf(currentIdx), cap, RIGHT_NOTIFY);
  if (r != OK) return ret(r);
  notifyPost(capIdx, bits);
  return ret(OK);
}

export function notify_take(): i32 {
  if (!enter()) return 0;
  return notifyTake(currentIdx);
}

/**
 * Report a trap: the task library has put the state in MR1..; the kernel calls the task's exception
 * handler with TAG_EXCEPTION set and the task index as badge, and returns its reply.
 */
export function exception_raise(): i32 {
  if (!enter()) return E_STATE;
  const task = taskOf(currentIdx);
  const h = rd(taskAddr(task), TASK_EXC_HANDLER);
  if (h == 0) return ret(E_NO_HANDLER);
  const idx = liveIndex(h);
  if (idx < 0) return ret(E_DEAD);
  const r = checkMessage(currentIdx);
  if (r != OK) return ret(r);
  return ret(doSend(idx, task, TIMEOUT_NEVER, true, TAG_EXCEPTION));
}

/** Stop, resume, post flags to, or abort the IPC of thread `tid`; only its task's pager may. */
export function thread_control(tid: i32, op: i32, arg: i32): i32 {
  if (!enter()) return E_STATE;
  const idx = liveIndex(tid);
  if (idx < 0) return ret(E_DEAD);
  if (rd(taskAddr(taskOf(idx)), TASK_PAGER) != current) return ret(E_PERM);
  return ret(threadControl(idx, op, arg));
}

/** The current thread takes the flags its pager posted (the task library checks at every entry). */
export function thread_pending(): i32 {
  if (!enter()) return 0;
  return pendingTake(currentIdx);
}

/** State of thread `tid` (TS_*; TS_BUSY while claimed), or -E_DEAD if it is not live. */
export function thread_state(tid: i32): i32 {
  const idx = liveIndex(tid);
  if (idx < 0) return -E_DEAD;
  const s = stateOf(idx);
  return isRunning(s) ? TS_RUNNING : s & 0xf;
}

/** Task index of thread `tid`, or -E_DEAD. */
export function thread_task(tid: i32): i32 {
  const idx = liveIndex(tid);
  return idx < 0 ? -E_DEAD : rd(tcbAddr(idx), TCB_TASK);
}
