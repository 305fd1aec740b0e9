// The IPC fastpath: try to deliver a send, call or reply before taking the kernel lock. Delivery to a
// waiting thread is safe without the lock (the claim protocol in thread.ts), so this only saves the
// lock's cache-line traffic on the common round trip; anything unusual (receiver busy elsewhere,
// queue work) returns E_WOULDBLOCK and the slow path repeats the attempt under the lock.
// A receiver that is running is most often a server about to re-arm its receive (reply_wait), so a
// sender polls its state a short while before giving up: cheaper than the lock and the send queue.
// Short messages and replies (ipc.ts) are only tried with the fastpath on.
// KHDR.FASTPATH = 0 turns it off; behaviour is the same either way, and the tests run both.
import {
  KHDR_FASTPATH, TCB_STATE, TCB_CTL, TCB_TASK, TCB_PASSIVE_IN, UTCB_OUT, CAP_SLOTS, RIGHT_SEND, TAG_BULK, TAG_WORDS_MASK, MAX_WORDS, TIMEOUT_NEVER,
  TS_RUNNING, TS_RECEIVING, TS_PASSIVE, OK, E_WOULDBLOCK,
} from './abi';
import { khdr, tcbAddr, utcbAddr, rd, ard } from './mem';
import { current, currentIdx, mayBlock, worker } from './cpu';
import { isBusy, isRunning } from './thread';
import { capLookup, capIdx, capBadge, capTid } from './capspace';
import { deliverSend, deliverReply, awaitReply, callColocated, callShort } from './ipc';

/** Polls of a running receiver's state before the sender takes the slow path. */
const REARM_POLLS: i32 = 256;

export function fastpathEnabled(): bool {
  return atomic.load<i32>(khdr(KHDR_FASTPATH)) != 0;
}

/** Wait briefly for `dst` to be receiving; false if it is doing something else. */
export function awaitReceiving(dst: i32): bool {
  const t = tcbAddr(dst);
  for (let i = 0; i < REARM_POLLS; i++) {
    const s = ard(t, TCB_STATE);
    if (s == TS_RECEIVING) return true;
    if (!isRunning(s) && !isBusy(s)) return false;
  }
  return false;
}

export function fastSend(me: i32, dst: i32, badge: i32, isCall: bool, kernelBits: i32): i32 {
  if (!fastpathEnabled()) return E_WOULDBLOCK;
  const r = deliverSend(me, dst, badge, isCall, kernelBits);
  if (r != E_WOULDBLOCK || !awaitReceiving(dst)) return r;
  return deliverSend(me, dst, badge, isCall, kernelBits);
}

export function fastReply(me: i32, to: i32): i32 {
  if (!fastpathEnabled()) return E_WOULDBLOCK;
  return deliverReply(me, to);
}

/**
 * ipc_call's fastpath (seL4 style): the common case decoded and delivered in one straight line: an
 * infinite timeout, no bulk item, a send capability, a caller that is not stopped and may block;
 * the callee is waiting in another worker, or is a passive handler of this one (a colocated call).
 * A short message (the tag alone) goes in one compare-and-swap (ipc.ts callShort), a longer one by
 * a claim. Anything else returns E_WOULDBLOCK having changed nothing, and ipc_call takes its
 * general path.
 */
export function fastCall(cap: i32, timeout: i32): i32 {
  if (!fastpathEnabled() || timeout != TIMEOUT_NEVER || current == 0 || mayBlock == 0) return E_WOULDBLOCK;
  const me = currentIdx;
  const t = tcbAddr(me);
  if (ard(t, TCB_CTL) != 0 || <u32>cap >= <u32>CAP_SLOTS) return E_WOULDBLOCK;
  const tag = rd(utcbAddr(me), UTCB_OUT);
  if ((tag & TAG_BULK) != 0 || (tag & TAG_WORDS_MASK) > MAX_WORDS) return E_WOULDBLOCK;
  if (capLookup(rd(t, TCB_TASK), cap, RIGHT_SEND, false) != OK) return E_WOULDBLOCK;
  const dst = capIdx;
  const passiveIn = rd(tcbAddr(dst), TCB_PASSIVE_IN);
  if (passiveIn != 0) {
    if (passiveIn != worker + 1 || ard(tcbAddr(dst), TCB_STATE) != TS_PASSIVE) return E_WOULDBLOCK;
    return callColocated(me, dst, capBadge, 0);
  }
  const s = callShort(me, dst, capTid, cap, tag);
  if (s != OK) {
    if (s != E_WOULDBLOCK) return s;
    const r = deliverSend(me, dst, capBadge, true, 0);
    if (r != OK) return r;
  }
  return awaitReply(me, TIMEOUT_NEVER);
}
