// Notifications (XNU's ipc_notify): messages the server sends through a send-once right a task
// armed with mach_port_request_notification, in XNU's formats: no-senders (with the make-send
// count), dead-name and port-deleted (with the name), port-destroyed (carrying the receive right
// back), send-once (a send-once right used up unsent). Also the reply a kernel-object port gives a
// message it served (or MIG_BAD_ID when it serves no routine by message).
import {
  MACH_MSGH_BITS_COMPLEX, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_RECEIVE, MACH_MSG_PORT_DESCRIPTOR,
  MACH_NOTIFY_NO_SENDERS, MACH_NOTIFY_SEND_ONCE, MACH_NOTIFY_DEAD_NAME, MACH_NOTIFY_PORT_DELETED,
  MACH_NOTIFY_PORT_DESTROYED, MACH_MSG_TYPE_MOVE_RECEIVE, MIG_BAD_ID,
} from '../../abi/mach.js';
import { Kmsg, type Descriptor } from './ipc_kmsg.js';
import type { Port } from './ipc_port.js';
import type { Ipc } from './ipc.js';

/** NDR_record: MIG's data representation (little-endian integers, ASCII, IEEE floats). */
const NDR = [0, 0, 0, 0, 1, 0, 0, 0];

/** A body of the NDR record and 32-bit words. */
function ndrWords(...words: number[]): Uint8Array {
  const b = new Uint8Array(8 + 4 * words.length);
  b.set(NDR);
  const v = new DataView(b.buffer);
  words.forEach((w, i) => v.setUint32(8 + 4 * i, w >>> 0, true));
  return b;
}

/** Send a notification through send-once right `notify` (counted when it was made; delivery uses it up). */
function send(ipc: Ipc, notify: Port, id: number, body: Uint8Array, descriptors: Descriptor[] = []): void {
  ipc.enqueue(new Kmsg(descriptors.length ? MACH_MSGH_BITS_COMPLEX : 0, { port: notify, type: MACH_MSG_TYPE_PORT_SEND_ONCE }, undefined, id, body, descriptors, 0));
}

/** `port` has no send rights left: the no-senders request fires once the make-send count reached its threshold. */
export function notifyNoSenders(ipc: Ipc, port: Port): void {
  const request = port.nsrequest;
  if (!request || port.mscount < request.sync) return;
  port.nsrequest = undefined;
  send(ipc, request.notify, MACH_NOTIFY_NO_SENDERS, ndrWords(port.mscount));
}

/** A send-once right to `port` was released unused: the port hears of it (through that right). */
export function notifySendOnce(ipc: Ipc, port: Port): void {
  send(ipc, port, MACH_NOTIFY_SEND_ONCE, new Uint8Array(0)); // a bare header (mach_send_once_notification_t)
}

export function notifyDeadName(ipc: Ipc, notify: Port, name: number): void {
  send(ipc, notify, MACH_NOTIFY_DEAD_NAME, ndrWords(name));
}

export function notifyPortDeleted(ipc: Ipc, notify: Port, name: number): void {
  send(ipc, notify, MACH_NOTIFY_PORT_DELETED, ndrWords(name));
}

/** `port`'s receive right was released with a port-destroyed request armed: the right travels back in the notification. */
export function notifyPortDestroyed(ipc: Ipc, notify: Port, port: Port): void {
  const body = new Uint8Array(4 + 12);
  const v = new DataView(body.buffer);
  v.setUint32(0, 1, true);
  body[4 + 10] = MACH_MSG_TYPE_PORT_RECEIVE;
  body[4 + 11] = MACH_MSG_PORT_DESCRIPTOR;
  send(ipc, notify, MACH_NOTIFY_PORT_DESTROYED, body, [
    { kind: 'port', at: 4, ref: { name: 0, disposition: MACH_MSG_TYPE_MOVE_RECEIVE }, right: { port, type: MACH_MSG_TYPE_PORT_RECEIVE } },
  ]);
}

/** The answer to a message a kernel object served: its rights are released and the reply (a mig_reply_error_t with MIG_BAD_ID when nothing served it) goes to its reply right. */
export function kobjectReply(ipc: Ipc, k: Kmsg, reply: { id: number; body: Uint8Array } | undefined | null): void {
  for (const d of k.descriptors) {
    if (d.kind === 'port' && d.right) ipc.release(d.right);
    if (d.kind === 'ool_ports') for (const r of d.rights ?? []) ipc.release(r);
  }
  if (!k.reply?.port) return;
  const answer = reply === null ? { id: k.id + 100, body: ndrWords(MIG_BAD_ID) } : reply;
  if (answer) ipc.enqueue(new Kmsg(0, k.reply, undefined, answer.id, answer.body, [], 0));
  else ipc.release(k.reply);
}
