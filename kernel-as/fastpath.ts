// The IPC fastpath: try to deliver a send, call or reply before taking the kernel lock. Delivery to a
// waiting thread is safe without the lock (the claim protocol in thread.ts), so this only saves the
// lock's cache-line traffic on the common round trip; anything unusual (receiver not waiting yet,
// queue work) returns E_WOULDBLOCK and the slow path repeats the attempt under the lock.
// KHDR.FASTPATH = 0 turns it off; behaviour is the same either way, and the tests run both.
import { KHDR_FASTPATH, E_WOULDBLOCK } from './abi';
import { khdr } from './mem';
import { deliverSend, deliverReply } from './ipc';

export function fastSend(me: i32, dst: i32, badge: i32, isCall: bool, kernelBits: i32): i32 {
  if (atomic.load<i32>(khdr(KHDR_FASTPATH)) == 0) return E_WOULDBLOCK;
  return deliverSend(me, dst, badge, isCall, kernelBits);
}

export function fastReply(me: i32, to: i32): i32 {
  if (atomic.load<i32>(khdr(KHDR_FASTPATH)) == 0) return E_WOULDBLOCK;
  return deliverReply(me, to);
}
