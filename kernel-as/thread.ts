// Thread control blocks: lookup by id (generation-checked), creation, states, and the send queue
// each thread keeps of senders blocked on it. Callers hold the kernel lock unless noted.
import {
  MAX_THREADS, TCB_SIZE, TCB_ID, TCB_TASK, TCB_STATE, TCB_RESULT, TCB_PARTNER, TCB_SENDQ_HEAD,
  TCB_SENDQ_TAIL, TCB_SENDQ_NEXT, KHDR_NEXT_GEN, THREAD_INDEX_BITS,
  TS_FREE, TS_RUNNING, TS_DEAD, TS_SENDING, TS_RECEIVING, TS_CALLING, TS_BUSY, TS_DELIVERED, ANY, OK,
} from './abi';
import { tcbAddr, khdr, rd, wr, ard, awr } from './mem';
import { wake } from './futex';
import { currentIdx } from './cpu';

export function idxOf(tid: i32): i32 {
  return tid & ((1 << THREAD_INDEX_BITS) - 1);
}

/** Index of live thread `tid`, or -1 if the id is malformed, stale, free or dead. Lock-free read. */
export function liveIndex(tid: i32): i32 {
  if (tid <= 0) return -1;
  const idx = idxOf(tid);
  if (idx >= MAX_THREADS) return -1;
  const t = tcbAddr(idx);
  if (ard(t, TCB_ID) != tid) return -1;
  const s = ard(t, TCB_STATE);
  return s == TS_FREE || s == TS_DEAD ? -1 : idx;
}

export function stateOf(idx: i32): i32 {
  return ard(tcbAddr(idx), TCB_STATE);
}

export function taskOf(idx: i32): i32 {
  return rd(tcbAddr(idx), TCB_TASK);
}


/** Allocate a TCB in `task`; returns the new thread id or 0 when the table is full. */
export function threadAlloc(task: i32): i32 {
  for (let i = 1; i < MAX_THREADS; i++) {
    const t = tcbAddr(i);
    const s = ard(t, TCB_STATE);
    if (s != TS_FREE && s != TS_DEAD) continue;
    const gen = (atomic.add<i32>(khdr(KHDR_NEXT_GEN), 1) & 0x3fff) + 1;
    memory.fill(t, 0, <usize>TCB_SIZE);
    wr(t, TCB_ID, (gen << THREAD_INDEX_BITS) | i);
    wr(t, TCB_TASK, task);
    awr(t, TCB_STATE, TS_RUNNING);
    return (gen << THREAD_INDEX_BITS) | i;
  }
  return 0;
}

/** Index 0 is the root thread, made at boot. */
export function threadInitRoot(): i32 {
  const t = tcbAddr(0);
  memory.fill(t, 0, <usize>TCB_SIZE);
  const tid = 1 << THREAD_INDEX_BITS;
  wr(t, TCB_ID, tid);
  wr(t, TCB_TASK, 0);
  awr(t, TCB_STATE, TS_RUNNING);
  return tid;
}

// The claim protocol. A thread leaves TS_RECEIVING or TS_CALLING only through a claim: a cmpxchg of
// its state word to a TS_BUSY word naming the claimer and the previous state. The claimer alone may
// then write the thread's UTCB and RESULT, and releases it to TS_RUNNING (or gives it back). So a
// delivery needs no kernel lock, and a timeout, an abort and a delivery can race safely: one wins.
// A thread's task dying overrides everything: its state is exchanged to TS_DEAD, and a claimer that
// then fails to release learns that its partner is dead.

export function isBusy(s: i32): bool {
  return (s & 0xf) == TS_BUSY;
}

/** The state a failed claim found (valid right after claim returned 0). */
export let claimSeen: i32 = 0;

/**
 * Claim thread `idx` out of state `expect` for the current thread: the busy word, or 0 if the thread
 * was in another state (left in claimSeen). One cmpxchg, no load before it: a read first would cost
 * a second coherence transaction on the partner's cache line.
 */
export function claim(idx: i32, expect: i32): i32 {
  const busy = ((currentIdx + 1) << 8) | (expect << 4) | TS_BUSY;
  const old = atomic.cmpxchg<i32>(tcbAddr(idx) + <usize>TCB_STATE, expect, busy);
  if (old == expect) return busy;
  claimSeen = old;
  return 0;
}

/** Let a claimed thread run with `result`; false if it died meanwhile. */
export function release(idx: i32, busy: i32, result: i32): bool {
  const t = tcbAddr(idx);
  wr(t, TCB_RESULT, result);
  if (atomic.cmpxchg<i32>(t + <usize>TCB_STATE, busy, TS_RUNNING) != busy) return false;
  wake(idx);
  return true;
}

/** Give a claimed thread back to the state it was claimed from. */
export function unclaim(idx: i32, busy: i32): void {
  atomic.cmpxchg<i32>(tcbAddr(idx) + <usize>TCB_STATE, busy, (busy >> 4) & 0xf);
}

/** Index of the thread holding claim word `busy`. */
export function claimer(busy: i32): i32 {
  return (busy >> 8) - 1;
}

/**
 * End thread `idx`'s blocked IPC with `result` (under the kernel lock): dequeue a sender, claim a
 * receiver or caller. False if there was nothing to end or a delivery won the race.
 */
export function endWait(idx: i32, result: i32): bool {
  const s = ard(tcbAddr(idx), TCB_STATE);
  if (s == TS_SENDING) {
    unblock(idx);
    finish(idx, result);
    return true;
  }
  if (s != TS_RECEIVING && s != TS_CALLING) return false;
  const busy = claim(idx, s);
  return busy != 0 && release(idx, busy, result);
}

/** End a queued sender's wait with `result` and let it run (under the kernel lock). */
export function finish(idx: i32, result: i32): void {
  const t = tcbAddr(idx);
  wr(t, TCB_RESULT, result);
  awr(t, TCB_STATE, TS_RUNNING);
  wake(idx);
}

/**
 * Put thread `idx` (the caller itself, or a sender it dequeued) into `state` waiting on `partner`.
 * RESULT is preset to OK (a short delivery leaves it), and the state goes out together with MR0 =
 * the partner's id (0 for any) as one 64-bit store: the word a short delivery compares.
 */
export function block(idx: i32, state: i32, partner: i32, fenced: bool = true): void {
  const t = tcbAddr(idx);
  // Written only when they change: the line is the one the partner polls and writes, and a server
  // re-arming the same open receive should take it back once (for the state), not three times.
  if (rd(t, TCB_PARTNER) != partner) wr(t, TCB_PARTNER, partner);
  if (rd(t, TCB_RESULT) != OK) wr(t, TCB_RESULT, OK);
  if (fenced) atomic.store<i64>(t + <usize>TCB_STATE, waitingWord(state, partner));
  else store<i64>(t + <usize>TCB_STATE, waitingWord(state, partner)); // the caller's next atomic publishes it
}

/** The 64-bit STATE|MR0 word of a thread waiting in `state` on `partner`. */
export function waitingWord(state: i32, partner: i32): i64 {
  return (<i64><u32>(partner == ANY ? 0 : partner) << 32) | <i64><u32>state;
}

// A short message (no words past the tag, no bulk item) is delivered by one 64-bit cmpxchg of the
// receiver's STATE and MR0: from its waiting word to a TS_DELIVERED word naming the sender and the
// capability slot it used, with the tag as MR0. The receiver completes the receive itself
// (ipc.ts takeShort) and stays TS_DELIVERED, a running state, until it next blocks.

export function deliveredWord(sender: i32, slot: i32): i32 {
  return ((sender + 1) << 10) | (slot << 4) | TS_DELIVERED;
}

export function isDelivered(s: i32): bool {
  return (s & 0xf) == TS_DELIVERED;
}

export function deliveredSender(s: i32): i32 {
  return (s >>> 10) - 1;
}

export function deliveredSlot(s: i32): i32 {
  return (s >> 4) & 0x3f;
}

/** Running user code: TS_RUNNING, or TS_DELIVERED until the thread next blocks. */
export function isRunning(s: i32): bool {
  return s == TS_RUNNING || isDelivered(s);
}

// Send queues link TCB indexes + 1 (0 = none) through SENDQ_NEXT, FIFO.

export function enqueue(rcv: i32, snd: i32): void {
  const r = tcbAddr(rcv);
  wr(tcbAddr(snd), TCB_SENDQ_NEXT, 0);
  const tail = rd(r, TCB_SENDQ_TAIL);
  if (tail == 0) awr(r, TCB_SENDQ_HEAD, snd + 1); // seen by a receiver arming without the lock (ipc.ts armOpen)
  else wr(tcbAddr(tail - 1), TCB_SENDQ_NEXT, snd + 1);
  wr(r, TCB_SENDQ_TAIL, snd + 1);
}

/** Unlink `snd` from `rcv`'s queue; no-op if it is not there. */
export function dequeue(rcv: i32, snd: i32): void {
  const r = tcbAddr(rcv);
  let prev = 0;
  let cur = rd(r, TCB_SENDQ_HEAD);
  while (cur != 0 && cur != snd + 1) {
    prev = cur;
    cur = rd(tcbAddr(cur - 1), TCB_SENDQ_NEXT);
  }
  if (cur == 0) return;
  const next = rd(tcbAddr(snd), TCB_SENDQ_NEXT);
  if (prev == 0) wr(r, TCB_SENDQ_HEAD, next);
  else wr(tcbAddr(prev - 1), TCB_SENDQ_NEXT, next);
  if (rd(r, TCB_SENDQ_TAIL) == snd + 1) wr(r, TCB_SENDQ_TAIL, prev);
  wr(tcbAddr(snd), TCB_SENDQ_NEXT, 0);
}

/** First queued sender index + 1 (0 = empty) and the next one after `cur`. */
export function queueHead(rcv: i32): i32 {
  return ard(tcbAddr(rcv), TCB_SENDQ_HEAD);
}

export function queueNext(cur: i32): i32 {
  return rd(tcbAddr(cur - 1), TCB_SENDQ_NEXT);
}

/** Take a blocked thread out of whatever it waits in (before finishing it with an error). */
export function unblock(idx: i32): void {
  const t = tcbAddr(idx);
  if (ard(t, TCB_STATE) == TS_SENDING) {
    const p = liveOrDeadIndex(rd(t, TCB_PARTNER));
    if (p >= 0) dequeue(p, idx);
  }
}

/** Index of `tid` if it names an allocated slot of that generation, dead or alive; else -1. */
export function liveOrDeadIndex(tid: i32): i32 {
  if (tid <= 0) return -1;
  const idx = idxOf(tid);
  if (idx >= MAX_THREADS || rd(tcbAddr(idx), TCB_ID) != tid) return -1;
  return idx;
}
