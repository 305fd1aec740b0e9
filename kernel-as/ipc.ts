// Synchronous rendezvous IPC, L4 style: send, receive (from one thread or any), call, reply and
// reply-and-wait, with timeouts. A message is MR0 (the tag) plus up to 64 words, optionally one bulk
// item; it is copied once, from the sender's UTCB to the receiver's, by whichever side completes the
// rendezvous. Delivery to a waiting thread goes through the claim protocol (thread.ts) and needs no
// lock; a short message (the tag alone) is delivered by one 64-bit compare-and-swap instead. The
// kernel lock guards the send queues and arming a receive while senders are queued. The kernel
// writes the sender's id and badge. Waiting is adaptive: spin the budget in KHDR.SPIN, then sleep
// (waitSettled); a wait on a partner that is asleep does not spin.
import {
  TCB_STATE, TCB_PARTNER, TCB_RESULT, TCB_IS_CALL, TCB_SEND_BADGE, TCB_SEND_BITS, TCB_NOTIFY, TCB_ID,
  TCB_CTL, TCB_PASSIVE_IN, UTCB_MR, UTCB_OUT, UTCB_BR0, UTCB_BR1, TCB_SENDER, TCB_BADGE,
  TAG_WORDS_MASK, TAG_BULK, TAG_NOTIFY, TAG_EXCEPTION, MAX_WORDS, ANY, FRAMES_BASE,
  KHDR_SPIN, TIMEOUT_NEVER, TIMEOUT_ASYNC, TCTL_STOPPED,
  TS_RUNNING, TS_SENDING, TS_RECEIVING, TS_CALLING, TS_PASSIVE, TS_DEAD,
  OK, E_DEAD, E_TIMEOUT, E_NOT_WAITING, E_OVERFLOW, E_BAD_ADDR, E_INVALID_ARG, E_WOULDBLOCK,
  E_STATE, E_ABORTED, CAP_BADGE,
} from './abi';
import { tcbAddr, utcbAddr, capAddr, khdr, rd, wr, ard, awr, memoryBytes } from './mem';
import { lock, unlock } from './lock';
import { prepareSleep, cancelSleep, sleepOn, wake, mayBeAsleep } from './futex';
import { current, currentIdx, worker, mayBlock, setCurrent } from './cpu';
import { hostNow, hostUpcall } from './host';
import {
  block, finish, enqueue, dequeue, queueHead, queueNext, liveOrDeadIndex, claim, release, unclaim,
  endWait, isBusy, claimSeen, taskOf, waitingWord, deliveredWord, isDelivered, isRunning, deliveredSender, deliveredSlot,
} from './thread';
import { fastSend, fastReply, fastpathEnabled, awaitReceiving } from './fastpath';

// ---- message checks and the copy ----------------------------------------------------------------

/** Check the tag of the message a thread is about to send: word count, bulk item bounds. */
export function checkMessage(idx: i32): i32 {
  const u = utcbAddr(idx);
  const tag = rd(u, UTCB_OUT);
  const words = tag & TAG_WORDS_MASK;
  if (words > MAX_WORDS) return E_INVALID_ARG;
  if ((tag & TAG_BULK) == 0) return OK;
  if (words + 2 > MAX_WORDS) return E_INVALID_ARG;
  const addr = rd(u, UTCB_OUT + (words + 1) * 4);
  const len = rd(u, UTCB_OUT + (words + 2) * 4);
  return checkRange(addr, len);
}

function checkRange(addr: i32, len: i32): i32 {
  if (len < 0 || (len > 0 && <u32>addr < <u32>FRAMES_BASE)) return E_BAD_ADDR;
  if (<u64><u32>addr + <u64><u32>len > <u64>memoryBytes()) return E_BAD_ADDR;
  return OK;
}

/** Would `from`'s message fit `to`'s buffer registers? Checked before the rendezvous commits. */
function fits(from: i32, to: i32): i32 {
  const s = utcbAddr(from);
  const tag = rd(s, UTCB_OUT);
  if ((tag & TAG_BULK) == 0) return OK;
  const len = rd(s, UTCB_OUT + ((tag & TAG_WORDS_MASK) + 2) * 4);
  const d = utcbAddr(to);
  if (len > rd(d, UTCB_BR1)) return E_OVERFLOW;
  return checkRange(rd(d, UTCB_BR0), len);
}

/**
 * Copy `n` message words. A loop, not memory.copy: on a shared memory V8 runs memory.copy out of
 * line, which cost a cross-worker round trip about 15% here for short messages.
 */
function copyWords(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(dst + (<usize>i << 2), load<i32>(src + (<usize>i << 2)));
}

/** Copy `from`'s outgoing message into `to`'s received MRs, once; the kernel writes identity and its own tag bits. */
export function transfer(from: i32, to: i32, badge: i32, kernelBits: i32): void {
  const s = utcbAddr(from);
  const d = utcbAddr(to);
  const tag = rd(s, UTCB_OUT);
  const words = tag & TAG_WORDS_MASK;
  copyWords(d + <usize>UTCB_MR + 4, s + <usize>UTCB_OUT + 4, words);
  if ((tag & TAG_BULK) != 0) {
    const item = (words + 1) * 4;
    const len = rd(s, UTCB_OUT + item + 4);
    const dst = rd(d, UTCB_BR0);
    memory.copy(<usize>dst, <usize>rd(s, UTCB_OUT + item), <usize>len);
    wr(d, UTCB_MR + item, dst);
    wr(d, UTCB_MR + item + 4, len);
  }
  wr(d, UTCB_MR, (tag & ~(TAG_NOTIFY | TAG_EXCEPTION)) | kernelBits);
  identify(to, rd(tcbAddr(from), TCB_ID), badge);
}

/**
 * Record who sent thread `idx` its message. Written only when it changes: a thread hearing from the
 * same partner again then leaves the line its partner polls clean (ipc.ts, short messages).
 */
function identify(idx: i32, sender: i32, badge: i32): void {
  const t = tcbAddr(idx);
  if (rd(t, TCB_SENDER) != sender) wr(t, TCB_SENDER, sender);
  if (rd(t, TCB_BADGE) != badge) wr(t, TCB_BADGE, badge);
}

/** Deliver pending notification bits to `idx` as a message: MR0 = TAG_NOTIFY | 1 word, MR1 = bits. */
function takeNotification(idx: i32): bool {
  const t = tcbAddr(idx);
  if (ard(t, TCB_NOTIFY) == 0) return false;
  const bits = atomic.xchg<i32>(t + <usize>TCB_NOTIFY, 0);
  const u = utcbAddr(idx);
  wr(u, UTCB_MR, TAG_NOTIFY | 1);
  wr(u, UTCB_MR + 4, bits);
  identify(idx, 0, 0);
  return true;
}

// ---- delivery (lock-free through claims) ---------------------------------------------------------

/**
 * Deliver the current thread's message to `dst` if `dst` waits in a receive that accepts us: OK
 * when delivered (a caller is then TS_CALLING), E_WOULDBLOCK when `dst` is not ready, or an error.
 */
export function deliverSend(me: i32, dst: i32, badge: i32, isCall: bool, kernelBits: i32): i32 {
  const d = tcbAddr(dst);
  const busy = claim(dst, TS_RECEIVING);
  if (busy == 0) return claimSeen == TS_DEAD ? E_DEAD : E_WOULDBLOCK;
  const from = rd(d, TCB_PARTNER);
  if (from != ANY && from != current) {
    unclaim(dst, busy);
    return E_WOULDBLOCK;
  }
  const f = fits(me, dst);
  if (f != OK) {
    unclaim(dst, busy);
    return f;
  }
  transfer(me, dst, badge, kernelBits);
  const id = rd(d, TCB_ID);
  if (isCall) block(me, TS_CALLING, id);
  if (release(dst, busy, OK)) return OK;
  if (isCall) awr(tcbAddr(me), TCB_STATE, TS_RUNNING);
  return E_DEAD;
}

/** Deliver the current thread's reply to thread `to`, which must wait in a call to us. */
export function deliverReply(me: i32, to: i32): i32 {
  const idx = liveOrDeadIndex(to);
  if (idx < 0) return E_NOT_WAITING;
  if (replyShort(me, idx)) return OK;
  const t = tcbAddr(idx);
  const busy = claim(idx, TS_CALLING);
  if (busy == 0) return claimSeen == TS_DEAD ? E_DEAD : E_NOT_WAITING;
  if (rd(t, TCB_PARTNER) != current) {
    unclaim(idx, busy);
    return E_NOT_WAITING;
  }
  const f = fits(me, idx);
  if (f != OK) {
    unclaim(idx, busy);
    return f;
  }
  transfer(me, idx, 0, 0);
  return release(idx, busy, OK) ? OK : E_DEAD;
}

// ---- short messages: one 64-bit cmpxchg (thread.ts) -----------------------------------------------

/** Attempts of a short call on a callee that is not (yet) in an open receive before the claim path. */
const SHORT_TRIES: i32 = 4;

/** `tag` as delivered if it makes a short message (no words, no bulk item), else -1. */
function shortTag(tag: i32): i32 {
  return (tag & (TAG_WORDS_MASK | TAG_BULK)) == 0 ? tag & ~(TAG_NOTIFY | TAG_EXCEPTION) : -1;
}

/**
 * Deliver `me`'s call with tag `outTag` (through capability `slot`) to thread `dst` (id `dstTid`)
 * in an open receive, `me` then waiting TS_CALLING: OK; E_WOULDBLOCK, changing nothing, when the
 * message is not short or `dst` is not (or not soon) in an open receive; E_ABORTED if the pager
 * aborted us meanwhile.
 */
export function callShort(me: i32, dst: i32, dstTid: i32, slot: i32, outTag: i32): i32 {
  const tag = shortTag(outTag);
  if (tag == -1) return E_WOULDBLOCK;
  const a = tcbAddr(dst) + <usize>TCB_STATE;
  const armed = waitingWord(TS_RECEIVING, ANY);
  const msg = (<i64><u32>tag << 32) | <i64><u32>deliveredWord(me, slot);
  block(me, TS_CALLING, dstTid, false); // the cmpxchg below publishes it to the callee
  // A callee that is running is most often about to re-arm (reply_wait): wait for that a few times.
  for (let tries = 0; atomic.cmpxchg<i64>(a, armed, msg) != armed; tries++) {
    if (tries == SHORT_TRIES || !awaitReceiving(dst)) return unblockCall(me);
  }
  wake(dst);
  return OK;
}

/**
 * Take back a call that was never delivered: E_WOULDBLOCK (go on by the claim path), or E_ABORTED
 * when the pager's abort ended the wait meanwhile (a stale reply from the callee's previous call
 * leaves RESULT at OK and is dropped).
 */
function unblockCall(me: i32): i32 {
  const t = tcbAddr(me);
  while (true) {
    const s = atomic.cmpxchg<i32>(t + <usize>TCB_STATE, TS_CALLING, TS_RUNNING);
    if (s == TS_CALLING) return E_WOULDBLOCK;
    if (isBusy(s)) continue; // an abort is finishing with us: nanoseconds
    return rd(t, TCB_RESULT) == OK ? E_WOULDBLOCK : rd(t, TCB_RESULT);
  }
}

/** Reply short to thread `idx` if it waits in a call to us: one cmpxchg to TS_RUNNING with the tag as MR0. */
function replyShort(me: i32, idx: i32): bool {
  const tag = shortTag(rd(utcbAddr(me), UTCB_OUT));
  if (tag == -1 || !fastpathEnabled()) return false;
  const calling = waitingWord(TS_CALLING, current);
  const msg = (<i64><u32>tag << 32) | <i64><u32>TS_RUNNING;
  if (atomic.cmpxchg<i64>(tcbAddr(idx) + <usize>TCB_STATE, calling, msg) != calling) return false;
  wake(idx);
  return true;
}

/** Complete a short delivery: the kernel-written identity of the sender (MR0 is in place). */
function takeShort(me: i32, s: i32): void {
  const from = deliveredSender(s);
  identify(me, rd(tcbAddr(from), TCB_ID), rd(capAddr(taskOf(from), deliveredSlot(s)), CAP_BADGE));
}

/** A call returned OK: the reply came from the callee (a short reply writes no identity). */
export function tookReply(me: i32): void {
  identify(me, rd(tcbAddr(me), TCB_PARTNER), 0);
}

// ---- queues and arming (under the kernel lock) ---------------------------------------------------

/** Queue `me` on `dst` as a blocked sender, remembering the badge and kernel tag bits to deliver. */
function queueSend(me: i32, dst: i32, badge: i32, isCall: bool, kernelBits: i32): void {
  const t = tcbAddr(me);
  wr(t, TCB_IS_CALL, isCall ? 1 : 0);
  wr(t, TCB_SEND_BADGE, badge);
  wr(t, TCB_SEND_BITS, kernelBits);
  enqueue(dst, me);
  block(me, TS_SENDING, rd(tcbAddr(dst), TCB_ID));
}

/**
 * Receive into `me` from `from` (ANY or a thread id): a pending notification (open receive only) or
 * the first matching queued sender. OK when a message arrived; E_WOULDBLOCK when nothing is there,
 * in which case `me` is left TS_RECEIVING if `arm` is set.
 */
function receiveLocked(me: i32, from: i32, arm: bool): i32 {
  if (from == ANY && takeNotification(me)) return OK;
  let cur = queueHead(me);
  while (cur != 0) {
    const snd = cur - 1;
    cur = queueNext(cur);
    const st = tcbAddr(snd);
    if (from != ANY && rd(st, TCB_ID) != from) continue;
    dequeue(me, snd);
    const f = fits(snd, me);
    if (f != OK) {
      finish(snd, f);
      continue;
    }
    transfer(snd, me, rd(st, TCB_SEND_BADGE), rd(st, TCB_SEND_BITS));
    if (rd(st, TCB_IS_CALL) != 0) block(snd, TS_CALLING, current);
    else finish(snd, OK);
    return OK;
  }
  if (arm) block(me, TS_RECEIVING, from);
  return E_WOULDBLOCK;
}

// ---- waiting -------------------------------------------------------------------------------------

/** Has the thread at `t` finished its blocked IPC (or can an open receive take notification bits)? */
function settled(t: usize): bool {
  const s = ard(t, TCB_STATE);
  if (isRunning(s) || s == TS_DEAD) return true;
  return s == TS_RECEIVING && rd(t, TCB_PARTNER) == ANY && ard(t, TCB_NOTIFY) != 0;
}

/** Polls between two looks at the partner's SLEEPING word (on a line the partner writes). */
const PARTNER_LOOK: i32 = 1024;

/**
 * Is polling for the thread `t` waits on (a callee, a receiver, the one sender of a closed receive)
 * in vain: is it asleep, so that its answer comes only after it has been woken and scheduled, or,
 * for a call, has the callee taken the call and gone back to an open receive (a server that set
 * the call aside until an event: a message for a port, a child's exit), so that the reply waits for
 * something else to happen? An open receive has no partner and keeps spinning.
 */
function partnerAsleep(t: usize): bool {
  const p = liveOrDeadIndex(rd(t, TCB_PARTNER));
  if (p < 0) return false;
  if (mayBeAsleep(p)) return true;
  const c = tcbAddr(p);
  return ard(t, TCB_STATE) == TS_CALLING && ard(c, TCB_STATE) == TS_RECEIVING && rd(c, TCB_PARTNER) == ANY;
}

/**
 * Adaptive wait until `me`'s IPC settles: poll the thread's state for the spin budget, then sleep on
 * its event count (with the deadline for a finite timeout). The spin ends early when the partner is
 * asleep: its answer then comes after a wake-up (tens of microseconds, or a scheduler's time slice on
 * a busy machine), and a spin meanwhile only takes a core from the partner, or from the program
 * on another thread (a caller into a sleeping server spun 250 us a call, and its calls cost 3-4x more
 * than blocking at once). Returns OK when settled, E_TIMEOUT, or E_WOULDBLOCK for TIMEOUT_ASYNC (and
 * on threads that may not block) once the budget is spent.
 */
function waitSettled(me: i32, timeout: i32): i32 {
  const t = tcbAddr(me);
  let spins = partnerAsleep(t) ? 0 : atomic.load<i32>(khdr(KHDR_SPIN));
  const deadline: f64 = timeout > 0 ? hostNow() + <f64>timeout / 1000.0 : 0.0;
  while (true) {
    if (settled(t)) return OK;
    if (spins > 0) {
      spins = spins % PARTNER_LOOK == 0 && partnerAsleep(t) ? 0 : spins - 1;
      continue;
    }
    if (timeout == TIMEOUT_ASYNC || mayBlock == 0) return E_WOULDBLOCK;
    if (timeout > 0 && hostNow() >= deadline) return E_TIMEOUT;
    const seq = prepareSleep(me);
    if (settled(t)) {
      cancelSleep(me);
      return OK;
    }
    if (sleepOn(me, seq, deadline) == 2 && timeout > 0 && hostNow() >= deadline) return E_TIMEOUT;
  }
}

/** Wait while the pager keeps `me` stopped. Inlined test on every kernel entry; the wait is out of line. */
// @ts-ignore: decorator
@inline export function honorStop(me: i32): void {
  if ((ard(tcbAddr(me), TCB_CTL) & TCTL_STOPPED) != 0) waitWhileStopped(me);
}

/** Sleep until the pager resumes `me`; returns how the last sleep ended (for the Liftoff guard). */
function waitWhileStopped(me: i32): i32 {
  const t = tcbAddr(me);
  let woken = 0;
  while ((ard(t, TCB_CTL) & TCTL_STOPPED) != 0 && mayBlock != 0) {
    const seq = prepareSleep(me);
    if ((ard(t, TCB_CTL) & TCTL_STOPPED) == 0) {
      cancelSleep(me);
      break;
    }
    woken += sleepOn(me, seq, 0);
  }
  return woken;
}

/**
 * After waitSettled: take notification bits, or end the wait ourselves on a timeout; a delivery
 * that claimed us first wins. Returns the outcome of the IPC.
 */
function complete(me: i32, waited: i32): i32 {
  if (waited == E_WOULDBLOCK) return E_WOULDBLOCK;
  const t = tcbAddr(me);
  while (true) {
    const s = ard(t, TCB_STATE);
    if (s == TS_RUNNING) break;
    if (isDelivered(s)) {
      takeShort(me, s);
      break;
    }
    if (s == TS_DEAD) return E_DEAD;
    if (isBusy(s)) continue; // a claimer is finishing with us: nanoseconds
    if (s == TS_RECEIVING && waited == OK && takeNotificationClaimed(me)) break;
    if (waited != OK) {
      if (endWaitLocked(me, waited)) break;
    }
  }
  honorStop(me);
  return rd(t, TCB_RESULT);
}

/** Claim ourselves out of an open receive and take the pending notification bits as the message. */
function takeNotificationClaimed(me: i32): bool {
  const busy = claim(me, TS_RECEIVING);
  if (busy == 0) return false;
  takeNotification(me);
  release(me, busy, OK);
  return true;
}

/** The thread whose receive this instance left armed with TIMEOUT_ASYNC (0: none); ipc_poll completes it. */
let asyncArmed: i32 = 0;

/** Block `me` (already queued, armed or calling) until its IPC completes or `timeout` expires. */
export function await_(me: i32, timeout: i32): i32 {
  const waited = waitSettled(me, timeout);
  if (waited == E_WOULDBLOCK) asyncArmed = current;
  return complete(me, waited);
}

// ---- the operations ------------------------------------------------------------------------------

/** Send (isCall false) or call (true) from the current thread to live thread `dst`. */
export function doSend(dst: i32, badge: i32, timeout: i32, isCall: bool, kernelBits: i32): i32 {
  const me = currentIdx;
  const d = tcbAddr(dst);
  if (isCall && rd(d, TCB_PASSIVE_IN) == worker + 1 && ard(d, TCB_STATE) == TS_PASSIVE) {
    return callColocated(me, dst, badge, kernelBits);
  }
  if (timeout == TIMEOUT_ASYNC) return E_INVALID_ARG;
  let r = fastSend(me, dst, badge, isCall, kernelBits);
  if (r == E_WOULDBLOCK) {
    lock(current);
    r = deliverSend(me, dst, badge, isCall, kernelBits);
    while (r == E_WOULDBLOCK && timeout != 0) {
      queueSend(me, dst, badge, isCall, kernelBits);
      if (!armedOpen(d)) {
        unlock();
        return isCall ? awaitReply(me, timeout) : await_(me, timeout);
      }
      // dst armed an open receive without the lock and may have missed us: deliver directly
      dequeue(dst, me);
      awr(tcbAddr(me), TCB_STATE, TS_RUNNING);
      r = deliverSend(me, dst, badge, isCall, kernelBits);
    }
    unlock();
  }
  if (r == E_WOULDBLOCK) return E_TIMEOUT;
  if (r != OK || !isCall) return r;
  return awaitReply(me, timeout == 0 ? TIMEOUT_NEVER : timeout);
}

/** Wait for the reply to `me`'s delivered call. */
export function awaitReply(me: i32, timeout: i32): i32 {
  const r = await_(me, timeout);
  if (r == OK) tookReply(me);
  return r;
}

/** Is the thread at `t` in an open receive? (A sender re-checks this after queueing itself.) */
function armedOpen(t: usize): bool {
  return ard(t, TCB_STATE) == TS_RECEIVING && rd(t, TCB_PARTNER) == ANY;
}

/**
 * Arm an open receive without the kernel lock when no sender is queued: a server's steady state.
 * Arming and queueing follow one protocol (Dekker style, sequentially consistent): the receiver
 * stores its state, then reads its queue head; a sender stores the head, then reads the receiver's
 * state (doSend). So either the receiver sees the sender and takes itself back to the locked path,
 * or the sender sees the receiver armed and delivers directly. Pending notification bits need no
 * check: waitSettled sees them. False when the locked path must receive.
 */
function armOpen(me: i32): bool {
  if (!fastpathEnabled() || queueHead(me) != 0) return false;
  block(me, TS_RECEIVING, ANY);
  if (queueHead(me) == 0) return true;
  const busy = claim(me, TS_RECEIVING);
  if (busy == 0) return true; // a delivery claimed us first: await it
  release(me, busy, OK);
  return false;
}

/** Receive into the current thread from `from` (ANY or a thread id). */
export function doReceive(from: i32, timeout: i32): i32 {
  const me = currentIdx;
  if (from == ANY && timeout != 0 && armOpen(me)) return await_(me, timeout);
  lock(current);
  const r = receiveLocked(me, from, timeout != 0);
  unlock();
  if (r != E_WOULDBLOCK) return r;
  if (timeout == 0) return E_TIMEOUT;
  return await_(me, timeout);
}

/** Reply to `to` (no waiting; 0 = no reply), then, if `wait`, receive from anyone. */
export function doReplyWait(to: i32, wait: bool, timeout: i32): i32 {
  const me = currentIdx;
  if (to != 0) {
    let r = fastReply(me, to);
    if (r == E_WOULDBLOCK) {
      lock(current);
      r = deliverReply(me, to);
      unlock();
    }
    if (r != OK || !wait) return r;
  } else if (!wait) {
    return E_NOT_WAITING; // ipc_reply(0): no caller named, and a plain reply never receives
  }
  return doReceive(ANY, timeout);
}

/** Complete a receive armed with TIMEOUT_ASYNC: OK, E_WOULDBLOCK, or an error. */
export function doPoll(): i32 {
  const me = currentIdx;
  const t = tcbAddr(me);
  if (asyncArmed != current) return E_STATE;
  while (true) {
    if (settled(t)) {
      asyncArmed = 0;
      return complete(me, OK);
    }
    // Still waiting, or being delivered to. Between the two reads a delivery may have completed
    // (claimed, then released): look again rather than report a state that no longer holds.
    const s = ard(t, TCB_STATE);
    if (s == TS_RECEIVING || isBusy(s)) return E_WOULDBLOCK;
  }
}

/** Cancel the current thread's armed receive; E_STATE if none was armed or a message won (poll it). */
export function doCancel(): i32 {
  const me = currentIdx;
  const ended = endWaitLocked(me, E_ABORTED);
  if (ended) asyncArmed = 0;
  return ended ? OK : E_STATE;
}

/**
 * Colocated call (Lepreau's direct path): the callee is a passive handler thread in this same
 * worker, so the call runs it on our stack through the host upcall, as the current thread for the
 * handler's own kernel calls. Message in, reply out, each copied once; no lock, since only this
 * worker touches a passive thread's UTCB.
 */
export function callColocated(me: i32, dst: i32, badge: i32, kernelBits: i32): i32 {
  const f = fits(me, dst);
  if (f != OK) return f;
  transfer(me, dst, badge, kernelBits);
  const caller = current;
  setCurrent(rd(tcbAddr(dst), TCB_ID));
  const r = hostUpcall(current);
  setCurrent(caller);
  if (r != OK) return r;
  const g = fits(dst, me);
  if (g != OK) return g;
  transfer(dst, me, 0, 0);
  return OK;
}

/** Make the current worker's thread `idx` a passive handler (colocated calls only). */
export function makePassive(idx: i32): void {
  lock(current);
  const t = tcbAddr(idx);
  wr(t, TCB_PASSIVE_IN, worker + 1);
  awr(t, TCB_STATE, TS_PASSIVE);
  unlock();
}

/** End thread `idx`'s blocked IPC with `err` under the kernel lock; false if nothing was ended. */
export function endWaitLocked(idx: i32, err: i32): bool {
  lock(current);
  const ended = endWait(idx, err);
  unlock();
  return ended;
}
