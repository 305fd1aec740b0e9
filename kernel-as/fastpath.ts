// The IPC fastpath: try to deliver a send, call or reply before taking the kernel lock. Delivery to a
// waiting thread is safe without the lock (the claim protocol in thread.ts), so this only saves the
// lock's cache-line traffic on the common round trip; anything unusual (receiver busy elsewhere,
// queue work) returns E_WOULDBLOCK and the slow path repeats the attempt under the lock.
// A receiver that is running is most often a server about to re-arm its receive (reply_wait), so a
// sender polls its state a short while before giving up: cheaper than the lock and the send queue.
// KHDR.FASTPATH = 0 turns it off; behaviour is the same either way, and the tests run both.
import { KHDR_FASTPATH, TCB_STATE, TS_RUNNING, TS_RECEIVING, E_WOULDBLOCK } from './abi';
import { khdr, tcbAddr, ard } from './mem';
import { isBusy } from './thread';
import { deliverSend, deliverReply } from './ipc';

/** Polls of a running receiver's state before the sender takes the slow path. */
const REARM_POLLS: i32 = 256;

function enabled(): bool {
  return atomic.load<i32>(khdr(KHDR_FASTPATH)) != 0;
}

/** Wait briefly for `dst` to be receiving; false if it is doing something else. */
function awaitReceiving(dst: i32): bool {
  const t = tcbAddr(dst);
  for (let i = 0; i < REARM_POLLS; i++) {
    const s = ard(t, TCB_STATE);
    if (s == TS_RECEIVING) return true;
    if (s != TS_RUNNING && !isBusy(s)) return false;
  }
  return false;
}

export function fastSend(me: i32, dst: i32, badge: i32, isCall: bool, kernelBits: i32): i32 {
  if (!enabled()) return E_WOULDBLOCK;
  const r = deliverSend(me, dst, badge, isCall, kernelBits);
  if (r != E_WOULDBLOCK || !awaitReceiving(dst)) return r;
  return deliverSend(me, dst, badge, isCall, kernelBits);
}

export function fastReply(me: i32, to: i32): i32 {
  if (!enabled()) return E_WOULDBLOCK;
  return deliverReply(me, to);
}
